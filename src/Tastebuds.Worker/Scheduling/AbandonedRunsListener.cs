using Microsoft.Extensions.Logging;
using Quartz;

namespace Tastebuds.Worker.Scheduling;

/// <summary>
/// Clustered only: before each job runs, the log rows of nodes that died since are marked abandoned. A node
/// that recovers a dead node's job therefore marks that node's rows first (Quartz has declared it dead), and
/// rows of a replica that crashed just before another started are caught at the next run.
/// </summary>
internal sealed class AbandonedRunsListener(AbandonedRuns abandoned, ILogger<AbandonedRunsListener> logger) : IJobListener
{
    public string Name => "tastebuds-abandoned-runs";

    public async ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var count = await abandoned.MarkAsync(daemonStart: true, cancellationToken);
            if (count > 0)
            {
                SchedulingLog.MarkedAbandoned(logger, count, context.JobDetail.Key.Name, context.Recovering);
            }
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
        {
            // Housekeeping: the job runs anyway, and the next run tries again.
            SchedulingLog.MarkingAbandonedFailed(logger, e.Message);
        }
    }

    public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => default;

    public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default) => default;
}
