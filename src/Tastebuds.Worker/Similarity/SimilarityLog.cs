using Microsoft.Extensions.Logging;
using Tastebuds.Worker.Runs;

namespace Tastebuds.Worker.Similarity;

internal static partial class SimilarityLog
{
    /// <summary>The stage's lines for <see cref="StageRun"/>; a cancelled or failed run keeps the previous neighbours.</summary>
    public static StageEvents Events(ILogger logger) => new("cancelled: previous neighbours kept",
        runId => Started(logger, runId), runId => Cancelled(logger, runId), (runId, e) => Failed(logger, runId, e));

    [LoggerMessage(4001, LogLevel.Information, "Similarity run {RunId} started")]
    public static partial void Started(ILogger logger, Guid runId);

    [LoggerMessage(4002, LogLevel.Information,
        "Similarity run {RunId} finished: {Users} users, {Pairs} pairs, {Rows} neighbour rows (cosine {Cosine}, jaccard {Jaccard}, pearson {Pearson}) in {Seconds:0.00} s")]
    public static partial void Finished(ILogger logger, Guid runId, int users, long pairs, long rows, long cosine, long jaccard, long pearson, double seconds);

    [LoggerMessage(4003, LogLevel.Warning, "Similarity run {RunId} cancelled; the previous neighbours are kept")]
    public static partial void Cancelled(ILogger logger, Guid runId);

    [LoggerMessage(4004, LogLevel.Error, "Similarity run {RunId} failed; the previous neighbours are kept")]
    public static partial void Failed(ILogger logger, Guid runId, Exception exception);
}
