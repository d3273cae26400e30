using Tastebuds.Worker.Configuration;

namespace Tastebuds.Worker.Scheduling;

/// <summary>
/// Settings of the <c>Scheduler</c> section: where Quartz keeps the schedule. Unclustered (the default) keeps it
/// in memory and suits exactly one replica; clustered keeps it in the worker's PostgreSQL (the <c>qrtz_</c> tables
/// of migration 0003) so any number of replicas share it and each trigger fires once across them.
/// </summary>
/// <remarks>
/// There is deliberately no instance id setting: a clustered node's Quartz instance id is the
/// <c>data_fetch_logs.host</c> value of its process ("machine/pid"), which is how a starting replica tells the
/// log rows of a live peer from those of a dead one.
/// </remarks>
public sealed class SchedulerOptions
{
    public const string SectionName = "Scheduler";

    /// <summary>Share the schedule with every replica on the same database (Quartz's clustered ADO job store).</summary>
    public bool Clustered { get; set; }

    /// <summary>How often a clustered node records in <c>qrtz_scheduler_state</c> that it is alive.</summary>
    [TimeSpanRange("00:00:01", "00:10:00")]
    public TimeSpan CheckinInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long past a missed check-in the other nodes wait before declaring a node dead and recovering its
    /// jobs. A dead node's work is taken over after about <see cref="CheckinInterval"/> plus this.
    /// </summary>
    [TimeSpanRange("00:00:01", "00:10:00")]
    public TimeSpan CheckinMisfireThreshold { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How late a trigger may fire before it counts as misfired (then FireAndProceed: once, at once).</summary>
    [TimeSpanRange("00:00:01", "01:00:00")]
    public TimeSpan MisfireThreshold { get; set; } = TimeSpan.FromSeconds(60);
}
