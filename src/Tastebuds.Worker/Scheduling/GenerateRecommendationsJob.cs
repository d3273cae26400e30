using Quartz;
using Tastebuds.Worker.Hosting;
using Tastebuds.Worker.Recommendations;

namespace Tastebuds.Worker.Scheduling;

/// <summary>Scheduled (and chained after each similarity run) generation of every user's recommendations.</summary>
[DisallowConcurrentExecution]
internal sealed class GenerateRecommendationsJob(RecommendationGenerator generator, ShutdownSignal shutdown) : IJob
{
    public static readonly JobKey Key = new("generate-recommendations", "tastebuds");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, shutdown.GraceExpired);
        try
        {
            await generator.GenerateAsync(linked.Token);
        }
        catch (OperationCanceledException) when (shutdown.Stopping.IsCancellationRequested)
        {
            // Stopped by SIGTERM: the previous recommendations stay; the log row says cancelled.
        }
    }
}
