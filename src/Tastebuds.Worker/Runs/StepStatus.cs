namespace Tastebuds.Worker.Runs;

/// <summary>How a step stands or ended; stored and tagged as <see cref="RunNames.ToSql(StepStatus)"/> spells it.</summary>
public enum StepStatus
{
    Running,
    Succeeded,

    /// <summary>
    /// A user whose play count and loved-tracks total are what the last full fetch stored: nothing more was fetched
    /// or written (2 requests; only <c>last_fetched_at</c> moves).
    /// </summary>
    Unchanged,

    /// <summary>A fetch run in which some users failed and some succeeded.</summary>
    Partial,
    Failed,
    Skipped,
    Cancelled,

    /// <summary>Left running by a process that is gone; marked by the next start (<see cref="RunLog.MarkAbandonedAsync"/>).</summary>
    Abandoned,
}
