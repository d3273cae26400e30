using Quartz;
using Tastebuds.Worker.Hosting;
using Tastebuds.Worker.Runs;
using JobType = Tastebuds.Worker.Runs.JobType;

namespace Tastebuds.Worker.Scheduling;

/// <summary>
/// A scheduled computing stage: similarities or recommendations, as the job's key says (<see cref="StageJobs"/>).
/// Each runs on its cron schedule and when the stage before it triggers it; one at a time per job.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class StageJob(Pipeline pipeline, ShutdownSignal shutdown) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        JobType? next;
        try
        {
            next = await pipeline.RunStageAsync(StageJobs.StageOf(context.JobDetail.Key), cancellationToken);
        }
        catch (OperationCanceledException) when (shutdown.Stopping.IsCancellationRequested)
        {
            // Stopped by SIGTERM: the stage's previous output stays; its log row says cancelled.
            return;
        }

        await StageJobs.TriggerAsync(context.Scheduler, next, cancellationToken);
    }
}
