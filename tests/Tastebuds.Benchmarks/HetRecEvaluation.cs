using System.Diagnostics;
using System.Globalization;
using Tastebuds.Core;
using Tastebuds.Core.Evaluation;
using Tastebuds.Core.Recommendations;
using Tastebuds.Core.Similarity;

namespace Tastebuds.Benchmarks;

/// <summary>
/// The HetRec evaluation behind docs/evaluation.md. Each argument is a variant: <c>defaults</c> or
/// comma-separated settings over the defaults, e.g. <c>threshold=0.05,k=100,pop=0.5</c>;
/// <c>--seed N</c> sets the holdout seed (default 42) for the variants after it.
/// Keys: transform=log|raw|binary, love, shrinkage, threshold, k, minshared, pop, exponent, normalise=true|false.
/// </summary>
internal static class HetRecEvaluation
{
    public static void Run(string[] args)
    {
        var seed = 42;
        var rows = DataFiles.HetRecInteractions();
        var variants = args.Length == 0 ? ["defaults"] : args;
        for (var i = 0; i < variants.Length; i++)
        {
            if (variants[i] == "--seed")
            {
                seed = int.Parse(variants[++i], CultureInfo.InvariantCulture);
                continue;
            }

            var (weighting, similarity, recommendation) = Parse(variants[i]);
            var clock = Stopwatch.StartNew();
            var matrix = InteractionMatrix.Build(rows, weighting);
            var report = OfflineEvaluation.Run(matrix, new EvaluationOptions { Kind = ItemKind.Artist, Seed = seed },
                similarity, recommendation, CancellationToken.None);
            Console.WriteLine($"## {variants[i]}, seed {seed} (total {clock.Elapsed.TotalSeconds:F2} s incl. matrix build)");
            Console.WriteLine(report.ToMarkdown(10));
        }
    }

    private static (WeightingOptions, SimilarityOptions, RecommendationOptions) Parse(string variant)
    {
        var weighting = new WeightingOptions();
        var similarity = new SimilarityOptions();
        var recommendation = new RecommendationOptions();
        if (variant == "defaults")
        {
            return (weighting, similarity, recommendation);
        }

        foreach (var setting in variant.Split(','))
        {
            var (key, value) = (setting.Split('=')[0], setting.Split('=')[1]);
            double Number() => double.Parse(value, CultureInfo.InvariantCulture);
            switch (key)
            {
                case "transform": weighting = weighting with { Transform = Enum.Parse<PlayCountTransform>(value, ignoreCase: true) }; break;
                case "love": weighting = weighting with { LoveBonus = Number() }; break;
                case "shrinkage": similarity = similarity with { ShrinkageShared = Number() }; break;
                case "threshold": similarity = similarity with { SimilarityThreshold = Number() }; break;
                case "k": similarity = similarity with { MaxSimilarUsers = (int)Number() }; break;
                case "minshared": similarity = similarity with { MinSharedItems = (int)Number() }; break;
                case "pop": recommendation = recommendation with { PopularityWeight = Number() }; break;
                case "exponent": recommendation = recommendation with { SimilarityExponent = Number() }; break;
                case "normalise": recommendation = recommendation with { NormaliseNeighbourWeights = bool.Parse(value) }; break;
                default: throw new ArgumentException($"Unknown setting '{key}'.", nameof(variant));
            }
        }

        return (weighting, similarity, recommendation);
    }
}
