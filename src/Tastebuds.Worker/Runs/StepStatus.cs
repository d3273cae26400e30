namespace Tastebuds.Worker.Runs;

/// <summary>How a step stands or ended; stored and tagged as <see cref="RunNames.ToSql(StepStatus)"/> spells it.</summary>
public enum StepStatus
{
    Running,
    Succeeded,

    /// <summary>A fetch run in which some users failed and some succeeded.</summary>
    Partial,
    Failed,
    Skipped,
    Cancelled,

    /// <summary>Left running by a process that is gone; marked by the next start (<see cref="RunLog.MarkAbandonedAsync"/>).</summary>
    Abandoned,
}
