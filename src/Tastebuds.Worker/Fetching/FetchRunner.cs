using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tastebuds.Worker.Hosting;
using Tastebuds.Worker.Lastfm;
using Tastebuds.Worker.Telemetry;

namespace Tastebuds.Worker.Fetching;

/// <summary>
/// One fetch run: every user (or the ones asked for), one at a time, <c>RateLimiting:DelayBetweenUsers</c> apart.
/// Each user is a <c>fetch_user</c> log row and one transaction; a user that fails does not stop the others; a
/// rejected API key stops the run at once. On shutdown no new user starts; the user in flight finishes within
/// the grace period or rolls back. The FetchUsers job and the <c>fetch</c> verb both call this.
/// </summary>
public sealed class FetchRunner(
    FetchUserDirectory directory,
    UserFetcher fetcher,
    SnapshotStore store,
    FetchLogStore logs,
    FetchLock fetchLock,
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
        IReadOnlyList<string>? onlyUsers, IProgress<FetchProgress>? progress, bool waitForOtherRun, CancellationToken cancellationToken,
        DateTimeOffset? scheduledFireTime = null)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, shutdown.GraceExpired);
        var ct = linked.Token;
        await using var held = await fetchLock.AcquireAsync(waitForOtherRun, ct);
        using var activity = TastebudsActivity.Source.StartActivity(JobTypes.FetchUsers);
        var users = onlyUsers is { Count: > 0 } ? onlyUsers : await directory.ListAsync(ct);
        await using var step = await JobStep.StartAsync(logs, metrics, time, JobTypes.FetchUsers, ct);
        var runId = step.RunId;
        activity?.SetTag("tastebuds.run_id", runId);
        FetchingLog.RunStarted(logger, runId, users.Count);

        var tally = new FetchProgress(users.Count);
        using var runStats = LastfmCallStats.Begin();
        var keyRejected = false;
        var cancelled = false;
        try
        {
            for (var i = 0; i < users.Count && !keyRejected; i++)
            {
                if (i > 0 && rateLimiting.Value.DelayBetweenUsers > TimeSpan.Zero)
                {
                    await Task.Delay(rateLimiting.Value.DelayBetweenUsers, time, ct);
                }

                // No new user after SIGTERM; the run ends as cancelled with what it completed.
                shutdown.Stopping.ThrowIfCancellationRequested();

                var outcome = await FetchOneAsync(runId, users[i], ct);
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
        finally
        {
            var status = cancelled ? StepStatus.Cancelled
                : tally.Failed > 0 || keyRejected ? StepStatus.Failed
                : StepStatus.Succeeded;
            step.End(new LogCompletion(status)
            {
                RequestsMade = runStats.Requests,
                Retries = runStats.Retries,
                ItemsWritten = tally.ItemsWritten,
                ErrorMessage = keyRejected ? "Last.fm rejected the API key" : null,
                Details = new Dictionary<string, object?>
                {
                    ["scheduled_fire_time"] = scheduledFireTime,
                    ["users"] = users.Count,
                    ["succeeded"] = tally.Succeeded,
                    ["skipped"] = tally.Skipped,
                    ["failed"] = tally.Failed,
                    ["key_rejected"] = keyRejected,
                },
            });
            FetchingLog.RunFinished(logger, runId, tally.Succeeded, tally.Skipped, tally.Failed, step.Elapsed.TotalSeconds);
        }

        return new FetchRunResult(runId, tally.Total, tally.Succeeded, tally.Skipped, tally.Failed, keyRejected, runStats.Requests, runStats.Retries);
    }

    private async Task<UserOutcome> FetchOneAsync(Guid runId, string username, CancellationToken ct)
    {
        var outcome = await FetchAndLogAsync(runId, username, ct);
        metrics.RecordUserFetched(outcome.Result switch
        {
            UserOutcome.Kind.Succeeded => StepStatus.Succeeded,
            UserOutcome.Kind.Skipped => StepStatus.Skipped,
            _ => StepStatus.Failed,
        });
        return outcome;
    }

    private async Task<UserOutcome> FetchAndLogAsync(Guid runId, string username, CancellationToken ct)
    {
        using var activity = TastebudsActivity.Source.StartActivity("fetch_user");
        activity?.SetTag("lastfm.user", username);
        var logId = await logs.StartAsync(runId, JobTypes.FetchUser, username, ct);
        using var stats = LastfmCallStats.Begin();
        try
        {
            var snapshot = await fetcher.FetchAsync(username, ct);
            var stored = await store.SaveAsync(snapshot, ct);
            await logs.CompleteAsync(logId, new LogCompletion(StepStatus.Succeeded)
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
                },
            });
            metrics.RecordLastSuccess(JobTypes.FetchUser, time.GetUtcNow());
            metrics.RecordItemsStored("track", stored.Tracks);
            metrics.RecordItemsStored("album", stored.Albums);
            metrics.RecordItemsStored("artist", stored.Artists);
            FetchingLog.UserFetched(logger, username, stored.Tracks, stored.Albums, stored.Artists, stats.Requests);
            return new UserOutcome(UserOutcome.Kind.Succeeded, stored.Tracks + stored.Albums + stored.Artists);
        }
        catch (LastfmUserUnavailableException e)
        {
            FetchingLog.UserSkipped(logger, username, (int)e.ErrorCode, e.ApiMessage ?? e.Message);
            await logs.CompleteAsync(logId, Failure(StepStatus.Skipped, e, stats));
            return UserOutcome.Skipped;
        }
        catch (LastfmKeyRejectedException e)
        {
            FetchingLog.KeyRejected(logger, (int)e.ErrorCode, e.ApiMessage ?? e.Message);
            await logs.CompleteAsync(logId, Failure(StepStatus.Failed, e, stats));
            return UserOutcome.KeyRejected;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            FetchingLog.RunCancelled(logger, runId, username);
            metrics.RecordUserFetched(StepStatus.Cancelled);
            await logs.CompleteAsync(logId, Failure(StepStatus.Cancelled, null, stats) with { ErrorMessage = "cancelled: previous data kept" });
            throw;
        }
        catch (Exception e) when (e is LastfmApiException or HttpRequestException or Npgsql.NpgsqlException or TimeoutException
                                      or Polly.CircuitBreaker.BrokenCircuitException or Polly.Timeout.TimeoutRejectedException)
        {
            FetchingLog.UserFailed(logger, username, e.Message);
            await logs.CompleteAsync(logId, Failure(StepStatus.Failed, e, stats));
            return UserOutcome.Failed;
        }
    }

    private static LogCompletion Failure(string status, Exception? e, LastfmCallStats stats) => new(status)
    {
        RequestsMade = stats.Requests,
        Retries = stats.Retries,
        ErrorCode = e is LastfmApiException { ErrorCode: not LastfmErrorCode.None } api ? (int)api.ErrorCode : null,
        ErrorMessage = e is LastfmApiException { ApiMessage: { } message } ? message : e?.Message,
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
    }

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
        Elapsed = elapsed,
    };
}

/// <summary>What a run did. <see cref="KeyRejected"/> means Last.fm refused the key and the run stopped.</summary>
public sealed record FetchRunResult(Guid RunId, int Users, int Succeeded, int Skipped, int Failed, bool KeyRejected, int Requests, int Retries);
