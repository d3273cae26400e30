using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;

namespace Tastebuds.Worker.Telemetry;

/// <summary>
/// At start, before the listener serves <c>/metrics</c>: builds the MeterProvider (so that it listens) and puts the
/// documented series on it at 0 (<see cref="TastebudsMetrics.Preregister"/>).
/// </summary>
internal sealed class MetricsPreregistration(IServiceProvider services, TastebudsMetrics metrics) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetService(typeof(MeterProvider));
        metrics.Preregister();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
