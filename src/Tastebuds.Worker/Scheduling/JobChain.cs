using Quartz;

namespace Tastebuds.Worker.Scheduling;

/// <summary>
/// Fetch → similarities → recommendations: each job that produced something triggers the next one at once,
/// besides the next one's own cron schedule. Registered links only: a job with no successor ends the chain.
/// </summary>
internal static class JobChain
{
    private static readonly Dictionary<JobKey, JobKey> Next = [];

    public static void Link(JobKey from, JobKey to) => Next[from] = to;

    public static async Task TriggerNextAsync(IJobExecutionContext context, JobKey current, CancellationToken ct)
    {
        if (Next.TryGetValue(current, out var next) && await context.Scheduler.Exists(next, ct))
        {
            await context.Scheduler.TriggerJob(next, ct);
        }
    }
}
