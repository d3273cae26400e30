using Microsoft.Extensions.Logging;

namespace Tastebuds.Worker.Runs;

internal static partial class RunsLog
{
    [LoggerMessage(8001, LogLevel.Information,
        "{Job} run {RunId} waits for another stage or new-user step to finish writing results (the results lock)")]
    public static partial void WaitingForResultsLock(ILogger logger, string job, Guid runId);
}
