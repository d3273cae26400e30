using Microsoft.Extensions.Logging;
using Quartz;
using Tastebuds.Worker.Database;
using Tastebuds.Worker.Fetching;
using Tastebuds.Worker.Hosting;
using Tastebuds.Worker.NewUsers;
using Tastebuds.Worker.Runs;

namespace Tastebuds.Worker.Scheduling;

/// <summary>
/// Every <c>Schedules:NewUsers</c> (a minute by default): fetches the active users never fetched, each as a fetch run of
/// one (under the API key's fetch lock and rate limit) served by the incremental step (<see cref="NewUserServer"/>) right
/// after; then serves any other fetched user that no full run has seen yet. No full recalculation is triggered. When the
/// weekly run holds the fetch lock this poll does not wait: that run fetches never-fetched users first, and a later
/// poll serves them as soon as they are stored.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class FetchNewUsersJob(
    PendingNewUsers pending, Pipeline pipeline, NewUserServer server, ShutdownSignal shutdown, ILogger<FetchNewUsersJob> logger) : IJob
{
    public static readonly JobKey Key = new("fetch-new-users", "tastebuds");

    /// <summary>At most this many users a poll (a burst of sign-ups is spread over a few polls).</summary>
    public const int BatchSize = 50;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            // One user at a time: fetched (a fetch run of one, under the API key's lock and rate limit), then served at
            // once, so a newcomer's recommendations never wait for the fetch of the others that arrived with them.
            var never = await pending.NeverFetchedAsync(BatchSize, cancellationToken);
            if (never.Count > 0)
            {
                NewUsersLog.Fetching(logger, never.Count);
            }

            foreach (var user in never)
            {
                try
                {
                    await pipeline.FetchAsync([user], null, waitForOtherRun: false, cancellationToken);
                }
                catch (FetchRunInProgressException)
                {
                    NewUsersLog.FetchBusy(logger);
                    break;
                }

                await ServePendingAsync(cancellationToken);
            }

            // Users stored by another run (the weekly one, or a fetch verb) since the last full similarity run.
            await ServePendingAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (shutdown.Stopping.IsCancellationRequested || cancellationToken.IsCancellationRequested)
        {
            // Stopped: the users are still pending for the next start.
        }
        catch (Exception e) when (e is DatabaseOutageException || DatabaseOutage.IsTransient(e))
        {
            NewUsersLog.DatabaseAway(logger, e.Message);
        }
    }

    private async Task ServePendingAsync(CancellationToken ct)
    {
        var toServe = await pending.ToServeAsync(BatchSize, ct);
        if (toServe.Count > 0)
        {
            await server.ServeAsync(toServe, ct);
        }
    }
}
