using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Tastebuds.Worker.Fetching;

namespace Tastebuds.Worker.Scheduling;

/// <summary>
/// Which <c>running</c> rows of <c>data_fetch_logs</c> belong to a process that is gone. Unclustered, this
/// process is the only daemon: every other host's rows are gone. Clustered, a row's host ("machine/pid", which
/// is also the node's Quartz instance id) is alive when it is this process, a running process on this machine,
/// or a cluster member whose last check-in is within its check-in interval plus
/// <see cref="SchedulerOptions.CheckinMisfireThreshold"/> (the same window after which Quartz recovers its jobs).
/// </summary>
public sealed class AbandonedRuns(FetchLogStore logs, NpgsqlDataSource dataSource, IOptions<SchedulerOptions> options, TimeProvider time)
{
    public async Task<int> MarkAsync(CancellationToken ct)
    {
        if (!options.Value.Clustered)
        {
            return await logs.MarkAbandonedAsync(otherHostsMayBeAlive: false, liveClusterMembers: null, ct);
        }

        return await logs.MarkAbandonedAsync(otherHostsMayBeAlive: true, await LiveMembersAsync(ct), ct);
    }

    /// <summary>Instance ids of the nodes that checked in recently enough to be alive.</summary>
    public async Task<IReadOnlySet<string>> LiveMembersAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        // Quartz stores last_checkin_time as UTC ticks and checkin_interval in milliseconds.
        var nodes = await connection.QueryAsync<(string Instance, long LastCheckin, long IntervalMs)>(new CommandDefinition(
            "SELECT instance_name, last_checkin_time, checkin_interval FROM qrtz_scheduler_state WHERE sched_name = @name",
            new { name = SchedulingRegistration.SchedulerName }, cancellationToken: ct));
        var now = time.GetUtcNow().UtcTicks;
        var grace = options.Value.CheckinMisfireThreshold.Ticks;
        return nodes
            .Where(n => now - n.LastCheckin <= TimeSpan.FromMilliseconds(n.IntervalMs).Ticks + grace)
            .Select(n => n.Instance)
            .ToHashSet(StringComparer.Ordinal);
    }
}
