using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Tastebuds.Worker.Telemetry;

/// <summary>Liveness: the heartbeat is younger than <see cref="TelemetryOptions.LivenessThreshold"/>.</summary>
internal sealed class HeartbeatHealthCheck(Heartbeat heartbeat, IOptions<TelemetryOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var age = heartbeat.Age;
        var threshold = options.Value.LivenessThreshold;
        var text = string.Create(CultureInfo.InvariantCulture, $"last heartbeat {age.TotalSeconds:F1} s ago (limit {threshold.TotalSeconds:F0} s)");
        return Task.FromResult(age <= threshold ? HealthCheckResult.Healthy(text) : HealthCheckResult.Unhealthy(text));
    }
}
