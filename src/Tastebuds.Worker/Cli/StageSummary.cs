using System.Globalization;
using Tastebuds.Worker.Recommendations;
using Tastebuds.Worker.Similarity;

namespace Tastebuds.Worker.Cli;

/// <summary>The one-line summaries of the pipeline stages, the same in <c>similarities</c>, <c>recommendations</c>, <c>run-once</c> and <c>demo</c>.</summary>
internal static class StageSummary
{
    public static string Of(SimilarityResult r) => string.Create(CultureInfo.InvariantCulture,
        $"Similarities: {r.Users:N0} users, {r.PairsEvaluated:N0} pairs evaluated, {r.RowsWritten:N0} neighbours written "
        + $"(cosine {r.CosineNeighbours:N0}, jaccard {r.JaccardNeighbours:N0}, pearson {r.PearsonNeighbours:N0}) in {r.Elapsed.TotalSeconds:0.00} s, run {r.RunId}");

    public static string Of(RecommendationResult r) => string.Create(CultureInfo.InvariantCulture,
        $"Recommendations: {r.RowsWritten:N0} written for {r.UsersWithRecommendations:N0} of {r.Users:N0} users "
        + $"({string.Join(", ", r.Metrics)}; {r.NeighboursUsed:N0} stored neighbours) in {r.Elapsed.TotalSeconds:0.00} s, run {r.RunId}");
}
