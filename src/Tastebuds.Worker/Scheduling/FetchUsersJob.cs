using Quartz;
using Tastebuds.Worker.Fetching;
using Tastebuds.Worker.Hosting;

namespace Tastebuds.Worker.Scheduling;

/// <summary>The scheduled fetch run; one at a time per process (and per cluster when clustered).</summary>
[DisallowConcurrentExecution]
internal sealed class FetchUsersJob(FetchRunner runner, ShutdownSignal shutdown) : IJob
{
    public static readonly JobKey Key = new("fetch-users", "tastebuds");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        FetchRunResult result;
        try
        {
            // A 'fetch' verb with the same API key may hold the fetch lock: wait for it rather than skip a week.
            result = await runner.RunAsync(null, null, waitForOtherRun: true, cancellationToken, context.ScheduledFireTimeUtc);
        }
        catch (OperationCanceledException) when (shutdown.Stopping.IsCancellationRequested)
        {
            // Stopped by SIGTERM: the run's log rows say so; the next start fetches again.
            return;
        }

        if (result.Succeeded > 0)
        {
            await JobChain.TriggerNextAsync(context, Key, cancellationToken);
        }
    }
}
