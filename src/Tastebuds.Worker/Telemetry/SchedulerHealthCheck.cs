using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Quartz;

namespace Tastebuds.Worker.Telemetry;

/// <summary>
/// Readiness: every Quartz scheduler of the container is running (started, not in standby, not shut down). Schedulers
/// are looked up through every registered <see cref="ISchedulerFactory"/>, keyed (named schedulers) or not,
/// so this check does not depend on the scheduler's name. <c>GetAllSchedulers</c> only lists schedulers
/// already built, so it never builds one early.
/// </summary>
internal sealed class SchedulerHealthCheck(IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var factories = services.GetServices<ISchedulerFactory>()
            .Concat(services.GetKeyedServices<ISchedulerFactory>(KeyedService.AnyKey))
            .Distinct()
            .ToList();
        var schedulers = new List<IScheduler>();
        foreach (var factory in factories)
        {
            schedulers.AddRange(await factory.GetAllSchedulers(cancellationToken));
        }

        var distinct = schedulers.DistinctBy(s => s.SchedulerName).ToList();
        if (distinct.Count == 0)
        {
            return HealthCheckResult.Unhealthy("no scheduler has been started yet");
        }

        var notRunning = new List<string>();
        foreach (var scheduler in distinct)
        {
            var status = await scheduler.GetStatus(cancellationToken);
            if (status != SchedulerStatus.Running)
            {
                notRunning.Add($"{scheduler.SchedulerName} is {status}");
            }
        }

        return notRunning.Count == 0
            ? HealthCheckResult.Healthy($"scheduler {string.Join(", ", distinct.Select(s => s.SchedulerName))} running")
            : HealthCheckResult.Unhealthy($"scheduler {string.Join(", ", notRunning)}");
    }
}
