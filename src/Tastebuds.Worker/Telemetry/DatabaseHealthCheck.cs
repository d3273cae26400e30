using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Tastebuds.Worker.Telemetry;

/// <summary>Readiness: <c>SELECT 1</c> through the worker's own data source answers within <see cref="TelemetryOptions.DatabaseCheckTimeout"/>.</summary>
internal sealed class DatabaseHealthCheck(IServiceProvider services, IOptions<TelemetryOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.DatabaseCheckTimeout);
        try
        {
            // Resolved here, not in the constructor: the data source needs the endpoint resolved (the embedded
            // PostgreSQL started), and until then this throws InvalidOperationException, reported as not ready.
            var dataSource = services.GetRequiredService<NpgsqlDataSource>();
            await using var connection = await dataSource.OpenConnectionAsync(timeout.Token);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(timeout.Token);
            return HealthCheckResult.Healthy("SELECT 1 answered");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"SELECT 1 did not answer within {options.Value.DatabaseCheckTimeout}");
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            // The message names host and database, never the password.
            return HealthCheckResult.Unhealthy($"database unreachable: {e.Message}");
        }
    }
}
