using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tastebuds.Worker.Scheduling;

namespace Tastebuds.Worker.Database;

/// <summary>
/// When the daemon starts: migrations (a failure stops the host with the script and the error), then the
/// log rows that a crashed process left <c>running</c> are marked <c>abandoned</c> (clustered: only those of
/// processes that are not live cluster members, see <see cref="AbandonedRuns"/>).
/// </summary>
internal sealed class MigrationHostedService(
    DatabaseEndpoint endpoint, SchemaMigrator migrator, MigrationState state, AbandonedRuns abandonedRuns, ILogger<MigrationHostedService> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await endpoint.EnsureAsync(cancellationToken);
        await migrator.MigrateAsync(cancellationToken);
        state.MarkApplied();
        var abandoned = await abandonedRuns.MarkAsync(daemonStart: true, cancellationToken);
        if (abandoned > 0)
        {
            DatabaseLog.MarkedAbandoned(logger, abandoned);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
