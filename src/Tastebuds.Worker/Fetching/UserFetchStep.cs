using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tastebuds.Worker.Configuration;
using Tastebuds.Worker.Database;
using Tastebuds.Worker.Lastfm;
using Tastebuds.Worker.Runs;
using Tastebuds.Worker.Telemetry;

namespace Tastebuds.Worker.Fetching;

/// <summary>
/// One user of a fetch run: its <c>fetch_user</c> row (started before any request, so no request is spent while the
/// database is away), the plan (<see cref="UserFetchState.Plan"/>: a change check, or a full fetch for a reason), the
/// calls, then either the one-column write of an unchanged user or the merge and the store (waited out through an
/// outage with the snapshot in memory), and the verdict. Any failure of this user's data fails this user only; a rejected key, cancellation and an outage
/// past the tolerance are the run's business (<see cref="FetchRunner"/>).
/// </summary>
public sealed class UserFetchStep(
    UserFetcher fetcher,
    SnapshotStore store,
    FetchStateStore states,
    IOptions<FetchLimitsOptions> limits,
    RunLog logs,
    DatabaseOutage outage,
    TastebudsMetrics metrics,
    TimeProvider time,
    ILogger<FetchRunner> logger)
{
    public async Task<UserOutcome> RunAsync(Guid runId, string username, LockWatch lockWatch, CancellationToken ct)
    {
        var outcome = await FetchAndLogAsync(runId, username, lockWatch, ct);
        if (outcome.Result == UserOutcome.Kind.LockLost)
        {
            return outcome;
        }

        metrics.RecordUserFetched(outcome.Result switch
        {
            UserOutcome.Kind.Succeeded => StepStatus.Succeeded,
            UserOutcome.Kind.Unchanged => StepStatus.Unchanged,
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
            await CompleteAsync(logId, new LogCompletion(StepStatus.Cancelled)
            {
                ErrorMessage = "not fetched: another fetch run took the API key's fetch lock while the database was away",
            }, ct);
            return new UserOutcome(UserOutcome.Kind.LockLost, 0);
        }

        using var stats = LastfmCallStats.Begin();
        LogCompletion completion;
        UserOutcome outcome;
        try
        {
            var state = await outage.ExecuteAsync("reading a user's fetch state", c => states.LoadAsync(username, c), ct);
            var plan = UserFetchState.Plan(state, limits.Value.TagsPerUser);
            var fetched = await fetcher.FetchAsync(username, plan, ct);
            if (fetched.Snapshot is null && state is not null
                && await outage.ExecuteAsync("marking a user unchanged", c => states.MarkUnchangedAsync(state.UserId, fetched.Profile, c), ct))
            {
                (completion, outcome) = (Unchanged(state.UserId, stats), new UserOutcome(UserOutcome.Kind.Unchanged, 0));
                metrics.RecordLastSuccess(JobType.FetchUser, time.GetUtcNow());
                FetchingLog.UserUnchanged(logger, username, stats.Requests);
            }
            else
            {
                // A full fetch; or, rarely, an unchanged user whose row was deleted meanwhile: fetched in full like a new one.
                var snapshot = fetched.Snapshot
                    ?? (await fetcher.FetchAsync(username, FetchPlan.Full(FetchReasons.NeverFetched, limits.Value.TagsPerUser > 0), ct)).Snapshot!;
                (completion, outcome) = await StoreAsync(username, state, snapshot, stats, ct);
            }
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

        await CompleteAsync(logId, completion, ct);
        return outcome;
    }

    private static LogCompletion Unchanged(long userId, LastfmCallStats stats) => new(StepStatus.Unchanged)
    {
        UserId = userId,
        RequestsMade = stats.Requests,
        Retries = stats.Retries,
        Details = new Dictionary<string, object?>
        {
            ["fetch_reason"] = FetchReasons.Unchanged,
            ["rate_limit_wait_ms"] = (long)stats.RateLimitWait.TotalMilliseconds,
        },
    };

    private async Task<(LogCompletion, UserOutcome)> StoreAsync(
        string username, UserFetchState? state, UserSnapshot snapshot, LastfmCallStats stats, CancellationToken ct)
    {
        if (!snapshot.TagsFetched && state is not null && limits.Value.TagsPerUser > 0)
        {
            // Tags are on their own cadence: between tag fetches, the stored ones go on the rows this fetch writes.
            var stored = await outage.ExecuteAsync("reading a user's stored tags", c => states.StoredTagsAsync(state.UserId, c), ct);
            snapshot = snapshot with { Tags = stored };
        }

        var merged = MergedSnapshot.From(snapshot);
        foreach (var warning in merged.Warnings)
        {
            FetchingLog.DataWarning(logger, username, warning);
        }

        // The snapshot is in memory: an outage while it is stored costs a wait, not a second fetch.
        var saved = await outage.ExecuteAsync("storing a user's data", c => store.SaveAsync(merged, c), ct);
        var completion = new LogCompletion(StepStatus.Succeeded)
        {
            UserId = saved.UserId,
            TracksFetched = snapshot.TopTracks.Count,
            AlbumsFetched = snapshot.TopAlbums.Count,
            ArtistsFetched = snapshot.TopArtists.Count,
            LovedTracksFetched = snapshot.LovedTracks.Count,
            TagsFetched = snapshot.TagsFetched ? snapshot.Tags.Count : 0,
            RequestsMade = stats.Requests,
            Retries = stats.Retries,
            ItemsWritten = saved.Tracks + saved.Albums + saved.Artists,
            Details = new Dictionary<string, object?>
            {
                ["fetch_reason"] = snapshot.Reason,
                ["tags"] = snapshot.TagsFetched ? "fetched" : limits.Value.TagsPerUser > 0 ? "kept" : "off",
                // The friends user.getFriends listed (the user's user_friends edges were replaced); absent when not asked.
                ["friends"] = snapshot.FriendsFetched ? snapshot.Friends.Count : null,
                ["track_rows"] = saved.Tracks,
                ["album_rows"] = saved.Albums,
                ["artist_rows"] = saved.Artists,
                ["period"] = snapshot.Period,
                ["rate_limit_wait_ms"] = (long)stats.RateLimitWait.TotalMilliseconds,
                ["data_warnings"] = merged.Warnings.Count,
                ["warnings"] = merged.Warnings.Take(20).Select(Secrets.Redact).ToArray(),
            },
        };
        metrics.RecordLastSuccess(JobType.FetchUser, time.GetUtcNow());
        metrics.RecordItemsStored("track", saved.Tracks);
        metrics.RecordItemsStored("album", saved.Albums);
        metrics.RecordItemsStored("artist", saved.Artists);
        FetchingLog.UserFetched(logger, username, saved.Tracks, saved.Albums, saved.Artists, stats.Requests);
        return (completion, new UserOutcome(UserOutcome.Kind.Succeeded, saved.Tracks + saved.Albums + saved.Artists) { Warnings = merged.Warnings.Count });
    }

    /// <summary>
    /// The user's verdict, written through an outage. A run cancelled meanwhile (shutdown) does not wait out the outage,
    /// but the verdict is still written once: the row must not stay 'running' because the token fired after the work.
    /// </summary>
    private async Task CompleteAsync(long logId, LogCompletion completion, CancellationToken ct)
    {
        try
        {
            await outage.ExecuteAsync("completing a user's log row", _ => logs.CompleteAsync(logId, completion), ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await logs.TryCompleteAsync(logId, completion);
        }
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

    /// <summary>The run's fetch lock and the outage count at its last check: an outage waited out since may have ended its session.</summary>
    public sealed class LockWatch(AdvisoryLock lease, long seen)
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
