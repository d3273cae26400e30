using Microsoft.Extensions.Logging;
using Quartz;
using Tastebuds.Worker.Database;
using Tastebuds.Worker.Fetching;
using Tastebuds.Worker.Hosting;
using Tastebuds.Worker.NewUsers;
using Tastebuds.Worker.Runs;

namespace Tastebuds.Worker.Scheduling;

/// <summary>
/// Every <c>Schedules:NewUsers</c> (a minute by default): fetches the active users never fetched (under the API key's
/// fetch lock and rate limit, as a small fetch run of its own), then serves every fetched user that no full run has
/// seen yet with the incremental step (<see cref="NewUserServer"/>). No full recalculation is triggered. When the
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
            var never = await pending.NeverFetchedAsync(BatchSize, cancellationToken);
            if (never.Count > 0)
            {
                NewUsersLog.Fetching(logger, never.Count);
                try
                {
                    await pipeline.FetchAsync(never, null, waitForOtherRun: false, cancellationToken, context.ScheduledFireTimeUtc);
                }
                catch (FetchRunInProgressException)
                {
                    NewUsersLog.FetchBusy(logger);
                }
            }

            var toServe = await pending.ToServeAsync(BatchSize, cancellationToken);
            if (toServe.Count > 0)
            {
                await server.ServeAsync(toServe, cancellationToken);
            }
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
}
