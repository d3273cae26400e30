using System.Diagnostics;
using Tastebuds.Core.Recommendations;
using Tastebuds.Core.Similarity;

namespace Tastebuds.Core.Evaluation;

/// <summary>
/// Holdout evaluation of the three measures and a most-popular baseline (docs/evaluation.md).
/// </summary>
public static class OfflineEvaluation
{
    public const string MostPopular = "most-popular";

    public static EvaluationReport Run(
        InteractionMatrix full,
        EvaluationOptions options,
        SimilarityOptions similarity,
        RecommendationOptions recommendation,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(full);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(recommendation);

        var split = HoldoutSplit.Create(full, options.Kind, options.HoldoutFraction, options.MinItemsToEvaluate, options.Seed);
        var train = split.Train;
        var trainItems = Enumerable.Range(0, train.ItemCount(options.Kind)).Count(i => !train.HoldersOf(options.Kind, i).IsEmpty);

        var neighbours = NeighbourFinder.Compute(train, similarity, cancellationToken);
        var scoring = recommendation with { Kind = options.Kind, RecommendationsPerUser = options.CutOff };
        var methods = new List<MethodResult>();
        foreach (var metric in new[] { SimilarityMetric.Cosine, SimilarityMetric.Jaccard, SimilarityMetric.Pearson })
        {
            var set = Recommender.Recommend(train, neighbours, metric, scoring, null, cancellationToken);
            var elapsed = neighbours.Stats.Elapsed + set.Elapsed;
            methods.Add(Summarise(metric.ToString().ToLowerInvariant(), split, u => set.For(u).Select(r => r.Item).ToArray(),
                options.CutOff, trainItems, elapsed));
        }

        var clock = Stopwatch.StartNew();
        var popular = PopularityOrder(train, options.Kind);
        var baseline = split.EvaluatedUsers.ToDictionary(u => u, u => TopPopular(train, options.Kind, popular, u, options.CutOff));
        methods.Add(Summarise(MostPopular, split, u => baseline[u], options.CutOff, trainItems, clock.Elapsed));

        return new EvaluationReport(full.UserCount, split.EvaluatedUsers.Count,
            split.EvaluatedUsers.Sum(u => split.TestItems(u).Count), trainItems,
            neighbours.Stats.Elapsed, neighbours.Stats.PairsEvaluated, methods);
    }

    internal static MethodResult Summarise(string method, HoldoutSplit split, Func<int, IReadOnlyList<int>> topOf,
        int cutOff, int trainItems, TimeSpan elapsed)
    {
        double precision = 0, recall = 0, ndcg = 0, map = 0, hitUsers = 0;
        var recommended = new HashSet<int>();
        foreach (var u in split.EvaluatedUsers)
        {
            var top = topOf(u);
            recommended.UnionWith(top.Take(cutOff));
            var s = RankingMetrics.Score(top, split.TestItems(u).ToHashSet(), cutOff);
            precision += s.Precision;
            recall += s.Recall;
            ndcg += s.Ndcg;
            map += s.AveragePrecision;
            hitUsers += s.Hits > 0 ? 1 : 0;
        }

        var n = Math.Max(1, split.EvaluatedUsers.Count);
        return new MethodResult(method, precision / n, recall / n, ndcg / n, map / n, hitUsers / n,
            trainItems > 0 ? (double)recommended.Count / trainItems : 0, elapsed);
    }

    /// <summary>Items by train holders descending, ties by item index ascending.</summary>
    internal static int[] PopularityOrder(InteractionMatrix train, ItemKind kind) =>
        Enumerable.Range(0, train.ItemCount(kind))
            .Where(i => !train.HoldersOf(kind, i).IsEmpty)
            .OrderByDescending(i => train.HoldersOf(kind, i).Length)
            .ThenBy(i => i)
            .ToArray();

    internal static int[] TopPopular(InteractionMatrix train, ItemKind kind, int[] popular, int user, int cutOff)
    {
        var own = train.ItemsOf(user, kind).ToArray();
        return popular.Where(i => Array.BinarySearch(own, i) < 0).Take(cutOff).ToArray();
    }
}
