using Microsoft.Extensions.Logging;
using Quartz;
using Tastebuds.Worker.Database;
using Tastebuds.Worker.Fetching;
using Tastebuds.Worker.Hosting;
using Tastebuds.Worker.Runs;

namespace Tastebuds.Worker.Scheduling;

/// <summary>
/// The scheduled fetch run; one at a time per process (and per cluster when clustered). A run that the database cut
/// short (an outage longer than <c>Database:OutageTolerance</c>) is retried soon, not at the next weekly fire: after 5,
/// 15, then every 60 minutes, each retry fetching only the users this cycle has not fetched yet. The next cron fire
/// starts a new cycle and drops any retry still pending. A run that stored someone triggers the similarity stage.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class FetchUsersJob(Pipeline pipeline, ShutdownSignal shutdown, TimeProvider time, ILogger<FetchUsersJob> logger) : IJob
{
    public static readonly JobKey Key = new("fetch-users", "tastebuds");

    /// <summary>Group of the one-shot retry triggers.</summary>
    public const string RetryGroup = "tastebuds-retry";

    /// <summary>Job data of a retry: the users still to fetch (one per line) and the retry's number.</summary>
    public const string UsersKey = "users";

    public const string AttemptKey = "attempt";

    /// <summary>Delay before retry 1, 2, 3 (and every later one).</summary>
    public static readonly TimeSpan[] RetryDelays = [TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(60)];

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var data = context.MergedJobDataMap;
        var retry = context.Trigger.Key.Group == RetryGroup;
        // Job data as strings: the clustered store keeps it as JSON.
        var attempt = retry && int.TryParse(Text(data, AttemptKey), System.Globalization.CultureInfo.InvariantCulture, out var a) ? a : 0;
        IReadOnlyList<string>? users = retry && Text(data, UsersKey) is { Length: > 0 } list ? list.Split('\n') : null;
        if (!retry)
        {
            // A new cycle: whatever an older cycle left is fetched now anyway.
            await DropPendingRetriesAsync(context.Scheduler, cancellationToken);
        }

        FetchRunResult result;
        try
        {
            // A 'fetch' verb with the same API key may hold the fetch lock: wait for it rather than skip a week.
            result = await pipeline.FetchAsync(users, null, waitForOtherRun: true, cancellationToken, context.ScheduledFireTimeUtc);
        }
        catch (OperationCanceledException) when (shutdown.Stopping.IsCancellationRequested)
        {
            // Stopped by SIGTERM: the run's log rows say so; the next start fetches again.
            return;
        }
        catch (DatabaseOutageException e)
        {
            // The database was away before the run could start: the whole cycle is still to do.
            SchedulingLog.FetchCutShort(logger, e.Message);
            await ScheduleRetryAsync(context.Scheduler, users, attempt + 1, cancellationToken);
            return;
        }

        if (result.Unfinished.Count > 0)
        {
            await ScheduleRetryAsync(context.Scheduler, result.Unfinished, attempt + 1, cancellationToken);
        }

        await StageJobs.TriggerAsync(context.Scheduler, pipeline.NextAfter(result), cancellationToken);
    }

    private async Task ScheduleRetryAsync(IScheduler scheduler, IReadOnlyList<string>? users, int attempt, CancellationToken ct)
    {
        var delay = RetryDelays[Math.Min(attempt, RetryDelays.Length) - 1];
        var trigger = TriggerBuilder.Create()
            .WithIdentity($"fetch-users-retry-{Guid.NewGuid():N}", RetryGroup)
            .ForJob(Key)
            .UsingJobData(UsersKey, users is null ? string.Empty : string.Join('\n', users))
            .UsingJobData(AttemptKey, attempt.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .StartAt(time.GetUtcNow().Add(delay))
            .Build();
        await scheduler.ScheduleJob(trigger, cancellationToken: ct);
        SchedulingLog.FetchRetryScheduled(logger, attempt, delay,
            users is null ? "all of them" : users.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static string? Text(JobDataMap data, string key) => data.TryGetValue(key, out var value) ? value?.ToString() : null;

    private static async Task DropPendingRetriesAsync(IScheduler scheduler, CancellationToken ct)
    {
        foreach (var trigger in await scheduler.GetTriggersOfJob(Key, ct))
        {
            if (trigger.Key.Group == RetryGroup)
            {
                await scheduler.UnscheduleJob(trigger.Key, ct);
            }
        }
    }
}
