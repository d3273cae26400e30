using Microsoft.Extensions.Logging;
using Tastebuds.Worker.Runs;

namespace Tastebuds.Worker.Recommendations;

internal static partial class RecommendationsLog
{
    /// <summary>The stage's lines for <see cref="StageRun"/>; a cancelled or failed run keeps the previous recommendations.</summary>
    public static StageEvents Events(ILogger logger) => new("cancelled: previous recommendations kept",
        runId => Started(logger, runId), runId => Cancelled(logger, runId), (runId, e) => Failed(logger, runId, e));

    [LoggerMessage(5001, LogLevel.Information, "Recommendation run {RunId} started")]
    public static partial void Started(ILogger logger, Guid runId);

    [LoggerMessage(5002, LogLevel.Information,
        "Recommendation run {RunId} finished: {Rows} recommendations for {Users} of {AllUsers} users ({Metrics}) in {Seconds:0.00} s")]
    public static partial void Finished(ILogger logger, Guid runId, long rows, int users, int allUsers, string metrics, double seconds);

    [LoggerMessage(5003, LogLevel.Warning, "Recommendation run {RunId} cancelled; the previous recommendations are kept")]
    public static partial void Cancelled(ILogger logger, Guid runId);

    [LoggerMessage(5004, LogLevel.Error, "Recommendation run {RunId} failed; the previous recommendations are kept")]
    public static partial void Failed(ILogger logger, Guid runId, Exception exception);

    [LoggerMessage(5005, LogLevel.Warning, "Recommendation run {RunId}: user_similarities holds no neighbours for {Metrics}; run the similarity stage first")]
    public static partial void NoNeighbours(ILogger logger, Guid runId, string metrics);
}
