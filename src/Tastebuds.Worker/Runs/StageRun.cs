using Microsoft.Extensions.Logging;
using Npgsql;
using Tastebuds.Worker.Telemetry;

namespace Tastebuds.Worker.Runs;

/// <summary>
/// The skeleton of a computing stage, written once: its activity, its <see cref="JobStep"/> (log row and job metrics,
/// timed from the start), its start line, and its verdict when the work throws: <c>cancelled</c> when the token was
/// cancelled, <c>failed</c> otherwise, the exception passed on either way. The work ends the step with
/// <see cref="JobStep.Succeed"/>; a stage writes its output in one transaction, so a cancelled or failed one keeps the previous output.
/// The work runs under the <see cref="ResultsLock"/>, so no incremental step writes between its read and its swap.
/// </summary>
public sealed class StageRun(RunLog logs, TastebudsMetrics telemetry, TimeProvider time, NpgsqlDataSource dataSource,
    ILogger<StageRun> logger)
{
    public async Task<T> RunAsync<T>(JobType job, StageEvents events, Func<JobStep, CancellationToken, Task<T>> work, CancellationToken ct)
    {
        using var activity = TastebudsActivity.Source.StartActivity(RunNames.ToSql(job));
        await using var step = await JobStep.StartAsync(logs, telemetry, time, job, ct);
        events.Started(step.RunId);
        try
        {
            await using var results = await ResultsLock.WaitAsync(dataSource, 
                () => RunsLog.WaitingForResultsLock(logger, RunNames.ToSql(job), step.RunId), ct);
            return await work(step, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            step.Cancel(events.CancelledMessage);
            events.Cancelled(step.RunId);
            throw;
        }
        catch (Exception e)
        {
            step.Fail(e.Message);
            events.Failed(step.RunId, e);
            throw;
        }
    }
}
