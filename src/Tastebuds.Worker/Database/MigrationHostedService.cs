using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tastebuds.Worker.Fetching;

namespace Tastebuds.Worker.Database;

/// <summary>
/// When the daemon starts: migrations (a failure stops the host with the script and the error), then the
/// log rows that a crashed process left <c>running</c> are marked <c>abandoned</c>.
/// </summary>
internal sealed class MigrationHostedService(
    DatabaseEndpoint endpoint, SchemaMigrator migrator, MigrationState state, FetchLogStore logs, ILogger<MigrationHostedService> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await endpoint.EnsureAsync(cancellationToken);
        await migrator.MigrateAsync(cancellationToken);
        state.MarkApplied();
        var abandoned = await logs.MarkAbandonedAsync(otherHostsMayBeAlive: false, cancellationToken);
        if (abandoned > 0)
        {
            DatabaseLog.MarkedAbandoned(logger, abandoned);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
