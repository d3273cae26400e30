using System.Globalization;
using Tastebuds.Worker.Fetching;
using Tastebuds.Worker.Recommendations;
using Tastebuds.Worker.Similarity;

namespace Tastebuds.Worker.Runs;

/// <summary>The one-line summaries of the pipeline stages, the same in <c>fetch</c>, <c>similarities</c>, <c>recommendations</c>, <c>run-once</c> and <c>demo</c>.</summary>
public static class StageSummary
{
    /// <summary>The fetch line, and a second one when the database cut the run short.</summary>
    public static IEnumerable<string> Of(FetchRunResult r)
    {
        yield return string.Create(CultureInfo.InvariantCulture,
            $"Fetched {r.Users} user(s): {r.Succeeded} succeeded, {(r.Unchanged > 0 ? $"{r.Unchanged} unchanged, " : "")}{r.Skipped} skipped, {r.Failed} failed; {r.Requests} requests, {r.Retries} retries (run {r.RunId})");
        if (r.DatabaseError is { } error)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"Stopped: {error}; {r.Unfinished.Count} user(s) not fetched.");
        }
    }

    /// <summary>Why the chain ends after this fetch (see <see cref="Pipeline.NextAfter"/>).</summary>
    public static string Stopped(FetchRunResult r) => r.KeyRejected
        ? "Stopped: Last.fm rejected the API key; similarities and recommendations were not run."
        : "Similarities and recommendations were not run: the fetch stored or confirmed no user.";

    public static string Of(SimilarityResult r) => string.Create(CultureInfo.InvariantCulture,
        $"Similarities: {r.Users:N0} users, {r.PairsEvaluated:N0} pairs evaluated, {r.RowsWritten:N0} neighbours written "
        + $"(cosine {r.CosineNeighbours:N0}, jaccard {r.JaccardNeighbours:N0}, pearson {r.PearsonNeighbours:N0}) in {r.Elapsed.TotalSeconds:0.00} s, run {r.RunId}");

    /// <summary>
    /// The recommendation line: for user-kNN the stored neighbours it read, for a model (which reads none) its fit and
    /// the ranking and explaining of every user's list.
    /// </summary>
    public static string Of(RecommendationResult r) => string.Create(CultureInfo.InvariantCulture,
        $"Recommendations: {r.RowsWritten:N0} written for {r.UsersWithRecommendations:N0} of {r.Users:N0} users "
        + $"({string.Join(", ", r.Metrics)}; {Work(r)}) in {r.Elapsed.TotalSeconds:0.00} s, run {r.RunId}");

    private static string Work(RecommendationResult r) => r.FitTime is { } fit
        ? string.Create(CultureInfo.InvariantCulture,
            $"model fitted in {fit.TotalSeconds:0.0} s, lists ranked and explained in {(r.ScoreTime ?? TimeSpan.Zero).TotalSeconds:0.0} s")
        : string.Create(CultureInfo.InvariantCulture, $"{r.NeighboursUsed:N0} stored neighbours");
}
