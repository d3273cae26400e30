using Microsoft.Extensions.Hosting;

namespace Tastebuds.Worker.Database;

/// <summary>Applies migrations when the daemon starts; a failure stops the host with the script and the error.</summary>
internal sealed class MigrationHostedService(DatabaseEndpoint endpoint, SchemaMigrator migrator, MigrationState state) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await endpoint.EnsureAsync(cancellationToken);
        await migrator.MigrateAsync(cancellationToken);
        state.MarkApplied();
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
