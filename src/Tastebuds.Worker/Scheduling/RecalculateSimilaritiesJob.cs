using Quartz;
using Tastebuds.Worker.Hosting;
using Tastebuds.Worker.Similarity;

namespace Tastebuds.Worker.Scheduling;

/// <summary>Scheduled (and chained after each fetch run) recalculation of every user's neighbours.</summary>
[DisallowConcurrentExecution]
internal sealed class RecalculateSimilaritiesJob(SimilarityRecalculator recalculator, ShutdownSignal shutdown) : IJob
{
    public static readonly JobKey Key = new("recalculate-similarities", "tastebuds");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, shutdown.GraceExpired);
        try
        {
            await recalculator.RecalculateAsync(linked.Token);
        }
        catch (OperationCanceledException) when (shutdown.Stopping.IsCancellationRequested)
        {
            return;
        }

        if (!shutdown.Stopping.IsCancellationRequested)
        {
            await JobChain.TriggerNextAsync(context, Key, cancellationToken);
        }
    }
}
