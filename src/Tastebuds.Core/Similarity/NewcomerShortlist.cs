namespace Tastebuds.Core.Similarity;

/// <summary>
/// The newcomer's side of the pruned search (<see cref="SimilarityOptions.MaxHoldersPerItem"/>): when the holders of
/// a popular item were read only in part, the pair sums are partial and good only for a shortlist, chosen as the
/// full run chooses it (docs/algorithms.md, "Pruned search", step 2): candidates with a partial shared count of at
/// least max(1, ⌊MinSharedItems / 2⌋), the <c>RescoreFactor · K</c> best by cosine and the <c>RescoreFactor · K</c>
/// best by Jaccard on their partial sums (no threshold; ties to the lower user id), united. The caller then reads the
/// shortlisted users' rows for the newcomer's items in full and calls <see cref="NewcomerNeighbours.Compute"/>, whose
/// scores are then exact.
/// </summary>
public static class NewcomerShortlist
{
    private const int KindCount = 3;

    /// <param name="target">Per kind, the newcomer's items (ascending ids) with their weights.</param>
    /// <param name="holders">Per kind, the rows read of other users for the newcomer's items (a part of them).</param>
    /// <param name="summaryOf">A holder's item count and norm per kind (over ALL their items of that kind).</param>
    /// <returns>The shortlisted user ids, ascending.</returns>
    public static long[] Of(
        IReadOnlyList<ItemWeight>[] target,
        IReadOnlyList<HolderWeight>[] holders,
        Func<long, ItemKind, VectorSummary> summaryOf,
        SimilarityOptions options)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(holders);
        ArgumentNullException.ThrowIfNull(summaryOf);
        ArgumentNullException.ThrowIfNull(options);
        var own = NewcomerNeighbours.Own(target, holders);
        var pairs = NewcomerNeighbours.Accumulate(target, holders);
        var capacity = options.RescoreFactor * options.MaxSimilarUsers;
        var minShared = Math.Max(1, options.MinSharedItems / 2);
        var cosine = new PriorityQueue<long, (double Score, long User)>(capacity + 1, WorstFirst.Instance);
        var jaccard = new PriorityQueue<long, (double Score, long User)>(capacity + 1, WorstFirst.Instance);
        var summaries = new VectorSummary[KindCount];
        foreach (var v in pairs.Users)
        {
            if (pairs.SharedOf(v) < minShared)
            {
                continue;
            }

            for (var k = 0; k < KindCount; k++)
            {
                summaries[k] = summaryOf(v, (ItemKind)k);
            }

            var sums = pairs.Sums(v);
            Offer(cosine, v, NewcomerNeighbours.Describe(own, summaries, sums, SimilarityMetric.Cosine, options, 0).Score, capacity);
            Offer(jaccard, v, NewcomerNeighbours.Describe(own, summaries, sums, SimilarityMetric.Jaccard, options, 0).Score, capacity);
        }

        var shortlist = new HashSet<long>();
        foreach (var heap in new[] { cosine, jaccard })
        {
            while (heap.TryDequeue(out var v, out _))
            {
                shortlist.Add(v);
            }
        }

        return [.. shortlist.Order()];
    }

    private static void Offer(PriorityQueue<long, (double Score, long User)> heap, long v, double score, int capacity)
    {
        if (heap.Count < capacity)
        {
            heap.Enqueue(v, (score, v));
        }
        else if (heap.TryPeek(out _, out var worst) && WorstFirst.Instance.Compare((score, v), worst) > 0)
        {
            heap.EnqueueDequeue(v, (score, v));
        }
    }

    /// <summary>As <see cref="NeighbourOrder"/>, on user ids: lower score first, then higher id.</summary>
    private sealed class WorstFirst : IComparer<(double Score, long User)>
    {
        public static readonly WorstFirst Instance = new();

        public int Compare((double Score, long User) x, (double Score, long User) y)
        {
            var byScore = x.Score.CompareTo(y.Score);
            return byScore != 0 ? byScore : y.User.CompareTo(x.User);
        }
    }
}
