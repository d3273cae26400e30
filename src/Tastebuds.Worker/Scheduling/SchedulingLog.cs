using Microsoft.Extensions.Logging;

namespace Tastebuds.Worker.Scheduling;

internal static partial class SchedulingLog
{
    [LoggerMessage(6001, LogLevel.Warning, "Marked {Count} log row(s) of a replica that died as abandoned, before running {Job} (recovering: {Recovering})")]
    public static partial void MarkedAbandoned(ILogger logger, int count, string job, bool recovering);

    [LoggerMessage(6002, LogLevel.Warning, "Could not mark the log rows of dead replicas as abandoned: {Error}")]
    public static partial void MarkingAbandonedFailed(ILogger logger, string error);
}
