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
    UserFetcher fetcher,
    SnapshotStore store,
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
        var lockWatch = new LockWatch(held, outage.Interruptions);
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

                var outcome = await FetchOneAsync(runId, users[next], lockWatch, ct);
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
                : tally.Succeeded > 0 ? StepStatus.Partial
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
                    ["skipped"] = tally.Skipped,
                    ["failed"] = tally.Failed,
                    ["unfinished"] = users.Count - tally.Done,
                    ["key_rejected"] = keyRejected,
                    ["database_lost"] = lost is not null,
                    ["data_warnings"] = tally.Warnings,
                },
            });
            FetchingLog.RunFinished(logger, runId, tally.Succeeded, tally.Skipped, tally.Failed, step.Elapsed.TotalSeconds);
        }

        return new FetchRunResult(runId, tally.Total, tally.Succeeded, tally.Skipped, tally.Failed, keyRejected, runStats.Requests, runStats.Retries)
        {
            Unfinished = lost is null ? [] : users.Skip(tally.Done).ToList(),
            DatabaseError = lost?.Message,
        };
    }

    private async Task<UserOutcome> FetchOneAsync(Guid runId, string username, LockWatch lockWatch, CancellationToken ct)
    {
        var outcome = await FetchAndLogAsync(runId, username, lockWatch, ct);
        if (outcome.Result == UserOutcome.Kind.LockLost)
        {
            return outcome;
        }

        metrics.RecordUserFetched(outcome.Result switch
        {
            UserOutcome.Kind.Succeeded => StepStatus.Succeeded,
            UserOutcome.Kind.Skipped => StepStatus.Skipped,
            _ => StepStatus.Failed,
        });
        return outcome;
    }

    private async Task<UserOutcome> FetchAndLogAsync(Guid runId, string username, LockWatch lockWatch, CancellationToken ct)
    {
        using var activity = TastebudsActivity.Source.StartActivity(RunNames.ToSql(JobType.FetchUser));
        activity?.SetTag("lastfm.user", username);
        // Before any request: while the database is away no Last.fm request is spent.
        var logId = await outage.ExecuteAsync("starting a user's log row", c => logs.StartAsync(runId, JobType.FetchUser, username, c), ct);
        if (!await StillHoldsLockAsync(lockWatch, ct))
        {
            await outage.ExecuteAsync("completing a user's log row", c => logs.CompleteAsync(logId, new LogCompletion(StepStatus.Cancelled)
            {
                ErrorMessage = "not fetched: another fetch run took the API key's fetch lock while the database was away",
            }), ct);
            return new UserOutcome(UserOutcome.Kind.LockLost, 0);
        }

        using var stats = LastfmCallStats.Begin();
        LogCompletion completion;
        UserOutcome outcome;
        try
        {
            var snapshot = await fetcher.FetchAsync(username, ct);
            var merged = MergedSnapshot.From(snapshot);
            foreach (var warning in merged.Warnings)
            {
                FetchingLog.DataWarning(logger, username, warning);
            }

            // The snapshot is in memory: an outage while it is stored costs a wait, not a second fetch.
            var stored = await outage.ExecuteAsync("storing a user's data", c => store.SaveAsync(merged, c), ct);
            completion = new LogCompletion(StepStatus.Succeeded)
            {
                UserId = stored.UserId,
                TracksFetched = snapshot.TopTracks.Count,
                AlbumsFetched = snapshot.TopAlbums.Count,
                ArtistsFetched = snapshot.TopArtists.Count,
                LovedTracksFetched = snapshot.LovedTracks.Count,
                TagsFetched = snapshot.Tags.Count,
                RequestsMade = stats.Requests,
                Retries = stats.Retries,
                ItemsWritten = stored.Tracks + stored.Albums + stored.Artists,
                Details = new Dictionary<string, object?>
                {
                    ["track_rows"] = stored.Tracks,
                    ["album_rows"] = stored.Albums,
                    ["artist_rows"] = stored.Artists,
                    ["period"] = snapshot.Period,
                    ["rate_limit_wait_ms"] = (long)stats.RateLimitWait.TotalMilliseconds,
                    ["data_warnings"] = merged.Warnings.Count,
                    ["warnings"] = merged.Warnings.Take(20).Select(Secrets.Redact).ToArray(),
                },
            };
            outcome = new UserOutcome(UserOutcome.Kind.Succeeded, stored.Tracks + stored.Albums + stored.Artists) { Warnings = merged.Warnings.Count };
            metrics.RecordLastSuccess(JobType.FetchUser, time.GetUtcNow());
            metrics.RecordItemsStored("track", stored.Tracks);
            metrics.RecordItemsStored("album", stored.Albums);
            metrics.RecordItemsStored("artist", stored.Artists);
            FetchingLog.UserFetched(logger, username, stored.Tracks, stored.Albums, stored.Artists, stats.Requests);
        }
        catch (LastfmUserUnavailableException e)
        {
            FetchingLog.UserSkipped(logger, username, (int)e.ErrorCode, e.ApiMessage ?? e.Message);
            (completion, outcome) = (Failure(StepStatus.Skipped, e, stats), UserOutcome.Skipped);
        }
        catch (LastfmKeyRejectedException e)
        {
            FetchingLog.KeyRejected(logger, (int)e.ErrorCode, e.ApiMessage ?? e.Message);
            (completion, outcome) = (Failure(StepStatus.Failed, e, stats), UserOutcome.KeyRejected);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            FetchingLog.RunCancelled(logger, runId, username);
            metrics.RecordUserFetched(StepStatus.Cancelled);
            await logs.TryCompleteAsync(logId, Failure(StepStatus.Cancelled, null, stats) with { ErrorMessage = "cancelled: previous data kept" });
            throw;
        }
        catch (DatabaseOutageException)
        {
            // Past the tolerance: this row cannot be written now; the run ends, and the next start marks it abandoned.
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Whatever one user's data did (a value no parser expected, a constraint, a bug): that user fails, the run goes on.
            FetchingLog.UserFailed(logger, username, Secrets.Redact(e.Message));
            (completion, outcome) = (Failure(StepStatus.Failed, e, stats), UserOutcome.Failed);
        }

        await outage.ExecuteAsync("completing a user's log row", c => logs.CompleteAsync(logId, completion), ct);
        return outcome;
    }

    /// <summary>
    /// The fetch lock lives in a database session: an outage that was waited out may have ended it. Then it is taken
    /// again, unless another run (a 'fetch' verb, another replica) took it meanwhile: two runs would exceed the key's budget.
    /// </summary>
    private async Task<bool> StillHoldsLockAsync(LockWatch watch, CancellationToken ct)
    {
        var interruptions = outage.Interruptions;
        if (interruptions == watch.Seen)
        {
            return true;
        }

        watch.Seen = interruptions;
        return await outage.ExecuteAsync("taking the fetch lock again", watch.Lease.RenewAsync, ct);
    }

    private sealed class LockWatch(AdvisoryLock lease, long seen)
    {
        public AdvisoryLock Lease { get; } = lease;

        public long Seen { get; set; } = seen;
    }

    private static LogCompletion Failure(StepStatus status, Exception? e, LastfmCallStats stats) => new(status)
    {
        RequestsMade = stats.Requests,
        Retries = stats.Retries,
        ErrorCode = e is LastfmApiException { ErrorCode: not LastfmErrorCode.None } api ? (int)api.ErrorCode : null,
        ErrorMessage = e is LastfmApiException { ApiMessage: { } message } ? message : e?.Message,
        Details = e is null ? null : new Dictionary<string, object?> { ["error_class"] = e.GetType().Name },
    };
}

/// <summary>How one user's fetch ended.</summary>
public readonly record struct UserOutcome(UserOutcome.Kind Result, long ItemsWritten)
{
    public enum Kind
    {
        Succeeded,
        Skipped,
        Failed,
        KeyRejected,

        /// <summary>Not fetched: another run holds the API key's fetch lock since a database outage.</summary>
        LockLost,
    }

    /// <summary>Values dropped or clamped while the user's data was merged.</summary>
    public int Warnings { get; init; }

    public static UserOutcome Skipped => new(Kind.Skipped, 0);

    public static UserOutcome Failed => new(Kind.Failed, 0);

    public static UserOutcome KeyRejected => new(Kind.KeyRejected, 0);
}

/// <summary>Progress of a run so far, for the terminal and the logs.</summary>
public sealed record FetchProgress(int Total)
{
    public int Done { get; init; }

    public int Succeeded { get; init; }

    public int Skipped { get; init; }

    public int Failed { get; init; }

    public int Requests { get; init; }

    public int Retries { get; init; }

    public long ItemsWritten { get; init; }

    public int Warnings { get; init; }

    public TimeSpan Elapsed { get; init; }

    public double RequestsPerSecond => Elapsed.TotalSeconds > 0 ? Requests / Elapsed.TotalSeconds : 0;

    internal FetchProgress With(UserOutcome outcome, LastfmCallStats stats, TimeSpan elapsed) => this with
    {
        Done = Done + 1,
        Succeeded = Succeeded + (outcome.Result == UserOutcome.Kind.Succeeded ? 1 : 0),
        Skipped = Skipped + (outcome.Result == UserOutcome.Kind.Skipped ? 1 : 0),
        Failed = Failed + (outcome.Result is UserOutcome.Kind.Failed or UserOutcome.Kind.KeyRejected ? 1 : 0),
        Requests = stats.Requests,
        Retries = stats.Retries,
        ItemsWritten = ItemsWritten + outcome.ItemsWritten,
        Warnings = Warnings + outcome.Warnings,
        Elapsed = elapsed,
    };
}

/// <summary>What a run did. <see cref="KeyRejected"/> means Last.fm refused the key and the run stopped.</summary>
public sealed record FetchRunResult(Guid RunId, int Users, int Succeeded, int Skipped, int Failed, bool KeyRejected, int Requests, int Retries)
{
    /// <summary>Users not fetched because the database stayed away past <c>Database:OutageTolerance</c> (the one in flight first).</summary>
    public IReadOnlyList<string> Unfinished { get; init; } = [];

    /// <summary>Why the run ended early on the database, or null.</summary>
    public string? DatabaseError { get; init; }
}
