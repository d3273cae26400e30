using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Tastebuds.Worker.Telemetry;

/// <summary>Turns each periodic health report into <c>tastebuds.health.status{check}</c> (1 healthy or degraded, 0 unhealthy).</summary>
internal sealed class HealthMetricsPublisher(TastebudsMetrics metrics) : IHealthCheckPublisher
{
    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        foreach (var (name, entry) in report.Entries)
        {
            metrics.RecordHealth(name, entry.Status != HealthStatus.Unhealthy);
        }

        return Task.CompletedTask;
    }
}
