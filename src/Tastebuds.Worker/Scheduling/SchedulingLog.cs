using Microsoft.Extensions.Logging;

namespace Tastebuds.Worker.Scheduling;

internal static partial class SchedulingLog
{
    [LoggerMessage(6001, LogLevel.Warning, "Marked {Count} log row(s) of a replica that died as abandoned, before running {Job} (recovering: {Recovering})")]
    public static partial void MarkedAbandoned(ILogger logger, int count, string job, bool recovering);

    [LoggerMessage(6002, LogLevel.Warning, "Could not mark the log rows of dead replicas as abandoned: {Error}")]
    public static partial void MarkingAbandonedFailed(ILogger logger, string error);

    [LoggerMessage(6003, LogLevel.Error, "The scheduled fetch could not run: {Reason}")]
    public static partial void FetchCutShort(ILogger logger, string reason);

    [LoggerMessage(6004, LogLevel.Warning, "Fetch retry {Attempt} of this cycle scheduled in {Delay} for the users not fetched yet: {Users}")]
    public static partial void FetchRetryScheduled(ILogger logger, int attempt, TimeSpan delay, string users);
}
