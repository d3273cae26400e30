using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Tastebuds.Worker.Runs;

namespace Tastebuds.Worker.Scheduling;

/// <summary>
/// Which <c>running</c> rows of <c>data_fetch_logs</c> belong to a process that is gone. On this machine the
/// process table decides (<see cref="Hosting.ProcessInstance.IsGone"/>: the pid must run and have started when the
/// row says). Rows of other machines: unclustered, a starting daemon is the only daemon, so they are gone, while a
/// verb (which may run beside a daemon elsewhere) leaves them; clustered, a row is alive when its instance is a
/// cluster member whose last check-in is within its check-in interval plus
/// <see cref="SchedulerOptions.CheckinMisfireThreshold"/> (the same window after which Quartz recovers its jobs).
/// </summary>
public sealed class AbandonedRuns(RunLog logs, NpgsqlDataSource dataSource, IOptions<SchedulerOptions> options, TimeProvider time)
{
    /// <summary>Marks the rows of gone processes; <paramref name="daemonStart"/> is true when a daemon starts, false for a verb.</summary>
    public async Task<int> MarkAsync(bool daemonStart, CancellationToken ct)
    {
        if (!options.Value.Clustered)
        {
            return await logs.MarkAbandonedAsync(_ => daemonStart, ct);
        }

        var live = await LiveMembersAsync(ct);
        return await logs.MarkAbandonedAsync(instance => !live.Contains(instance), ct);
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
