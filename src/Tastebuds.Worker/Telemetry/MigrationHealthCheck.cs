using Microsoft.Extensions.Diagnostics.HealthChecks;
using Tastebuds.Worker.Database;

namespace Tastebuds.Worker.Telemetry;

/// <summary>Readiness: this process's migrator has succeeded (no job runs on an old schema).</summary>
internal sealed class MigrationHealthCheck(MigrationState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.IsApplied
            ? HealthCheckResult.Healthy("migrations applied")
            : HealthCheckResult.Unhealthy("migrations not applied yet"));
}
