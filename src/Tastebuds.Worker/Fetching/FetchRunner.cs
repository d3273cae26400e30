using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tastebuds.Worker.Configuration;
using Tastebuds.Worker.Database;
using Tastebuds.Worker.Hosting;
using Tastebuds.Worker.Lastfm;
using Tastebuds.Worker.Runs;
using Tastebuds.Worker.Telemetry;

namespace Tastebuds.Worker.Fetching;

/// <summary>
/// One fetch run: every user (or the ones asked for), one at a time, <c>RateLimiting:DelayBetweenUsers</c> apart.
/// Each user is a <c>fetch_user</c> log row and one transaction. Nothing one user's data holds ends the run: any
/// failure while a user is fetched, parsed or stored fails that user only. Only a rejected API key, shutdown, or a
/// database outage longer than <c>Database:OutageTolerance</c> ends it early; a shorter outage is waited out
/// (<see cref="DatabaseOutage"/>) without spending Last.fm requests, and the run goes on from the user it was on.
/// On shutdown no new user starts; the user in flight finishes within the grace period or rolls back. The run's
/// row is <c>succeeded</c> only when no user failed, <c>partial</c> when some failed, <c>failed</c> when all did or
/// the run was cut short. Called through <see cref="Runs.Pipeline"/> (the FetchUsers job, <c>fetch</c>, <c>run-once</c>,
/// <c>demo</c>), which links the token to the end of the shutdown grace period; this run itself only stops starting users on SIGTERM.
/// </summary>
public sealed class FetchRunner(
    FetchUserDirectory directory,
    UserFetchStep userStep,
    RunLog logs,
    FetchLock fetchLock,
    DatabaseOutage outage,
    IOptions<RateLimitingOptions> rateLimiting,
    ShutdownSignal shutdown,
    TastebudsMetrics metrics,
    TimeProvider time,
    ILogger<FetchRunner> logger)
{
    /// <summary>One run; throws <see cref="FetchRunInProgressException"/> when another run with the same API key is in progress.</summary>
    public Task<FetchRunResult> RunAsync(IReadOnlyList<string>? onlyUsers, IProgress<FetchProgress>? progress, CancellationToken cancellationToken) =>
        RunAsync(onlyUsers, progress, waitForOtherRun: false, cancellationToken);

    /// <summary>
    /// One run, under the API key's <see cref="FetchLock"/>; <paramref name="waitForOtherRun"/> waits for a run in progress
    /// instead of failing. A scheduled run passes the time its trigger was due, kept in the run row's details so that
    /// operators (and the cluster tests) can tell one run per fire.
    /// </summary>
    public async Task<FetchRunResult> RunAsync(
        IReadOnlyList<string>? onlyUsers, IProgress<FetchProgress>? progress, bool waitForOtherRun, CancellationToken ct,
        DateTimeOffset? scheduledFireTime = null)
    {
        await using var held = await outage.ExecuteAsync("taking the fetch lock", c => fetchLock.AcquireAsync(waitForOtherRun, c), ct);
        using var activity = TastebudsActivity.Source.StartActivity(RunNames.ToSql(JobType.FetchUsers));
        var users = onlyUsers is { Count: > 0 } ? onlyUsers : await outage.ExecuteAsync("listing the users to fetch", directory.ListAsync, ct);
        await using var step = await outage.ExecuteAsync("starting the run's log row",
            c => JobStep.StartAsync(logs, metrics, time, JobType.FetchUsers, c), ct);
        var runId = step.RunId;
        activity?.SetTag("tastebuds.run_id", runId);
        FetchingLog.RunStarted(logger, runId, users.Count);

        var tally = new FetchProgress(users.Count);
        using var runStats = LastfmCallStats.Begin();
        var keyRejected = false;
        var lockWatch = new UserFetchStep.LockWatch(held, outage.Interruptions);
        var lockLost = false;
        var cancelled = false;
        DatabaseOutageException? lost = null;
        var next = 0;
        try
        {
            for (; next < users.Count && !keyRejected && !lockLost; next++)
            {
                if (next > 0 && rateLimiting.Value.DelayBetweenUsers > TimeSpan.Zero)
                {
                    await Task.Delay(rateLimiting.Value.DelayBetweenUsers, time, ct);
                }

                // No new user after SIGTERM; the run ends as cancelled with what it completed.
                shutdown.Stopping.ThrowIfCancellationRequested();

                var outcome = await userStep.RunAsync(runId, users[next], lockWatch, ct);
                if (outcome.Result == UserOutcome.Kind.LockLost)
                {
                    lockLost = true;
                    FetchingLog.FetchLockLost(logger, runId, users.Count - next);
                    break;
                }

                tally = tally.With(outcome, runStats, step.Elapsed);
                keyRejected = outcome.Result == UserOutcome.Kind.KeyRejected;
                progress?.Report(tally);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested || shutdown.Stopping.IsCancellationRequested)
        {
            cancelled = true;
            throw;
        }
        catch (DatabaseOutageException e)
        {
            // The user in flight and every later one are left for a retry of this cycle (the daemon schedules one).
            lost = e;
            FetchingLog.DatabaseLost(logger, runId, users.Count - next, e.Message);
        }
        finally
        {
            var status = cancelled ? StepStatus.Cancelled
                : lost is not null || keyRejected || lockLost ? StepStatus.Failed
                : tally.Failed == 0 ? StepStatus.Succeeded
                : tally.Succeeded + tally.Unchanged > 0 ? StepStatus.Partial
                : StepStatus.Failed;
            step.End(new LogCompletion(status)
            {
                RequestsMade = runStats.Requests,
                Retries = runStats.Retries,
                ItemsWritten = tally.ItemsWritten,
                ErrorMessage = keyRejected ? "Last.fm rejected the API key"
                    : lost is not null ? lost.Message
                    : lockLost ? "another fetch run with the same API key took the fetch lock while the database was away; this run stopped"
                    : tally.Failed > 0 ? FormattableString.Invariant($"{tally.Failed} of {users.Count} user(s) failed; see their fetch_user rows")
                    : null,
                Details = new Dictionary<string, object?>
                {
                    ["scheduled_fire_time"] = scheduledFireTime,
                    ["users"] = users.Count,
                    ["succeeded"] = tally.Succeeded,
                    ["unchanged"] = tally.Unchanged,
                    ["skipped"] = tally.Skipped,
                    ["failed"] = tally.Failed,
                    ["unfinished"] = users.Count - tally.Done,
                    ["key_rejected"] = keyRejected,
                    ["database_lost"] = lost is not null,
                    ["data_warnings"] = tally.Warnings,
                },
            });
            FetchingLog.RunFinished(logger, runId, tally.Succeeded, tally.Unchanged, tally.Skipped, tally.Failed, step.Elapsed.TotalSeconds);
        }

        return new FetchRunResult(runId, tally.Total, tally.Succeeded, tally.Skipped, tally.Failed, keyRejected, runStats.Requests, runStats.Retries)
        {
            Unchanged = tally.Unchanged,
            Unfinished = lost is null ? [] : users.Skip(tally.Done).ToList(),
            DatabaseError = lost?.Message,
        };
    }
}
