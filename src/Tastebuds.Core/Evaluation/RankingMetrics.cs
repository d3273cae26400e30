namespace Tastebuds.Core.Evaluation;

/// <summary>
/// Binary-relevance ranking metrics at a cut-off k (docs/evaluation.md): precision = hits/k,
/// recall = hits/|test|, NDCG with a log2(rank + 1) discount and an ideal of min(|test|, k) hits,
/// AP@k = Σ over hit ranks of precision@rank, divided by min(|test|, k).
/// </summary>
public static class RankingMetrics
{
    public static RankingScores Score(IReadOnlyList<int> ranked, IReadOnlyCollection<int> relevant, int k)
    {
        ArgumentNullException.ThrowIfNull(ranked);
        ArgumentNullException.ThrowIfNull(relevant);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (relevant.Count == 0)
        {
            return default;
        }

        var relevantSet = relevant as IReadOnlySet<int> ?? relevant.ToHashSet();
        var hits = 0;
        var dcg = 0.0;
        var precisionSum = 0.0;
        for (var i = 0; i < Math.Min(k, ranked.Count); i++)
        {
            if (relevantSet.Contains(ranked[i]))
            {
                hits++;
                dcg += 1.0 / Math.Log2(i + 2);
                precisionSum += (double)hits / (i + 1);
            }
        }

        var ideal = Math.Min(relevant.Count, k);
        var idcg = 0.0;
        for (var i = 0; i < ideal; i++)
        {
            idcg += 1.0 / Math.Log2(i + 2);
        }

        return new RankingScores(hits, (double)hits / k, (double)hits / relevant.Count, dcg / idcg, precisionSum / ideal);
    }
}
