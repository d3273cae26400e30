using System.Diagnostics;
using Tastebuds.Core;
using Tastebuds.Core.Evaluation;
using Tastebuds.Core.Recommendations;
using Tastebuds.Core.Similarity;

namespace Tastebuds.Benchmarks;

/// <summary>The HetRec evaluation behind docs/evaluation.md, with named tuning variants.</summary>
internal static class HetRecEvaluation
{
    private static readonly Dictionary<string, (WeightingOptions Weighting, SimilarityOptions Similarity, RecommendationOptions Recommendation)> Variants = new()
    {
        ["defaults"] = (new(), new(), new()),
        ["raw-counts"] = (new() { Transform = PlayCountTransform.Raw }, new(), new()),
        ["binary"] = (new() { Transform = PlayCountTransform.Binary }, new(), new()),
        ["no-shrinkage"] = (new(), new() { ShrinkageShared = 0 }, new()),
        ["shrinkage-25"] = (new(), new() { ShrinkageShared = 25 }, new()),
        ["k-20"] = (new(), new() { MaxSimilarUsers = 20 }, new()),
        ["k-100"] = (new(), new() { MaxSimilarUsers = 100 }, new()),
        ["k-200"] = (new(), new() { MaxSimilarUsers = 200 }, new()),
        ["threshold-0"] = (new(), new() { SimilarityThreshold = 0 }, new()),
        ["threshold-0.05"] = (new(), new() { SimilarityThreshold = 0.05 }, new()),
        ["min-shared-1"] = (new(), new() { MinSharedItems = 1 }, new()),
        ["threshold-0.05-shrinkage-0"] = (new(), new() { SimilarityThreshold = 0.05, ShrinkageShared = 0 }, new()),
        ["threshold-0.05-shrinkage-5"] = (new(), new() { SimilarityThreshold = 0.05, ShrinkageShared = 5 }, new()),
        ["threshold-0.05-k-100"] = (new(), new() { SimilarityThreshold = 0.05, MaxSimilarUsers = 100 }, new()),
        ["popularity-0"] = (new(), new(), new() { PopularityWeight = 0 }),
        ["popularity-0.2"] = (new(), new(), new() { PopularityWeight = 0.2 }),
    };

    public static void Run(string[] names)
    {
        var rows = DataFiles.HetRecInteractions();
        foreach (var name in names.Length == 0 ? ["defaults"] : names)
        {
            var (weighting, similarity, recommendation) = Variants[name];
            var clock = Stopwatch.StartNew();
            var matrix = InteractionMatrix.Build(rows, weighting);
            var report = OfflineEvaluation.Run(matrix, new EvaluationOptions { Kind = ItemKind.Artist }, similarity, recommendation, CancellationToken.None);
            Console.WriteLine($"## {name} (total {clock.Elapsed.TotalSeconds:F2} s incl. matrix build)");
            Console.WriteLine(report.ToMarkdown(10));
        }
    }
}
