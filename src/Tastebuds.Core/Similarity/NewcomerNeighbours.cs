namespace Tastebuds.Core.Similarity;

/// <summary>
/// One user scored against every stored user that shares an item with them, without the stored users' full
/// vectors: the holders of the newcomer's items (the inverted index, read from the database) give the pair sums,
/// and each holder's <see cref="VectorSummary"/> per kind gives the norm and item count that cosine and Jaccard need.
/// The formulas, the order of summation (the newcomer's items ascending) and the tie-breaks are those of
/// <see cref="NeighbourFinder"/>, so the result equals a full recalculation's for this user, and — the scores
/// being symmetric — tells whose lists the newcomer enters.
/// </summary>
public static class NewcomerNeighbours
{
    private const int KindCount = 3;
    private const int MetricCount = 3;

    /// <param name="target">Per kind, the newcomer's items (ascending ids) with their weights.</param>
    /// <param name="holders">Per kind, every other user's row for one of the newcomer's items, in any order.</param>
    /// <param name="summaryOf">A holder's item count and norm per kind (over ALL their items of that kind).</param>
    public static NewcomerScores Compute(
        IReadOnlyList<ItemWeight>[] target,
        IReadOnlyList<HolderWeight>[] holders,
        Func<long, ItemKind, VectorSummary> summaryOf,
        SimilarityOptions options)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(holders);
        ArgumentNullException.ThrowIfNull(summaryOf);
        ArgumentNullException.ThrowIfNull(options);
        var own = Own(target, holders);
        var pairs = Accumulate(target, holders);
        var minShared = Math.Max(1, options.MinSharedItems);
        var candidates = pairs.Users.Where(v => pairs.SharedOf(v) >= minShared).Order().ToArray();
        var byMetric = new List<Neighbour>[MetricCount];
        for (var m = 0; m < MetricCount; m++)
        {
            byMetric[m] = [];
        }

        for (var index = 0; index < candidates.Length; index++)
        {
            var v = candidates[index];
            var summaries = new VectorSummary[KindCount];
            for (var k = 0; k < KindCount; k++)
            {
                summaries[k] = summaryOf(v, (ItemKind)k);
            }

            for (var m = 0; m < MetricCount; m++)
            {
                var described = Describe(own, summaries, pairs.Sums(v), (SimilarityMetric)m, options, index);
                if (described.Score >= options.SimilarityThreshold)
                {
                    byMetric[m].Add(described);
                }
            }
        }

        var ranked = byMetric
            .Select(list => list.OrderByDescending(n => n.Score).ThenBy(n => n.User).ToArray())
            .ToArray();
        return new NewcomerScores(candidates, ranked, pairs.Users.Count, options.MaxSimilarUsers);
    }

    /// <summary>The newcomer's item count and norm per kind; checks the shapes and the order of the inputs.</summary>
    internal static VectorSummary[] Own(IReadOnlyList<ItemWeight>[] target, IReadOnlyList<HolderWeight>[] holders)
    {
        if (target.Length != KindCount || holders.Length != KindCount)
        {
            throw new ArgumentException("Needs one list per item kind (tracks, albums, artists).");
        }

        var own = new VectorSummary[KindCount];
        for (var k = 0; k < KindCount; k++)
        {
            var sumSquares = 0.0;
            for (var i = 0; i < target[k].Count; i++)
            {
                if (i > 0 && target[k][i - 1].Item >= target[k][i].Item)
                {
                    throw new ArgumentException($"The newcomer's {(ItemKind)k} items must be ascending and distinct.", nameof(target));
                }

                sumSquares += target[k][i].Weight * target[k][i].Weight;
            }

            own[k] = new VectorSummary(target[k].Count, Math.Sqrt(sumSquares));
        }

        return own;
    }

    internal static PairSums Accumulate(IReadOnlyList<ItemWeight>[] target, IReadOnlyList<HolderWeight>[] holders)
    {
        var sums = new PairSums();
        for (var k = 0; k < KindCount; k++)
        {
            var byItem = holders[k].ToLookup(h => h.Item);
            foreach (var (item, x) in target[k])
            {
                foreach (var h in byItem[item])
                {
                    sums.Add(h.User, k, x, h.Weight);
                }
            }
        }

        return sums;
    }

    internal static Neighbour Describe(VectorSummary[] own, VectorSummary[] other, KindSums[] sums, SimilarityMetric metric,
        SimilarityOptions options, int index)
    {
        var perKind = new double?[KindCount];
        var weighted = 0.0;
        var alphaSum = 0.0;
        for (var k = 0; k < KindCount; k++)
        {
            if (own[k].Count == 0 || other[k].Count == 0)
            {
                continue;
            }

            var s = sums[k];
            var score = PairScores.Kind(metric, s.Shared, s.Dot, s.SumX, s.SumY, s.SumXX, s.SumYY, own[k], other[k]);
            perKind[k] = score;
            var alpha = options.KindWeight((ItemKind)k);
            alphaSum += alpha;
            weighted += alpha * score;
        }

        var shared = sums[0].Shared + sums[1].Shared + sums[2].Shared;
        var combined = alphaSum > 0 ? weighted / alphaSum * PairScores.Significance(shared, options.ShrinkageShared) : 0.0;
        return new Neighbour(index, combined, perKind[0], perKind[1], perKind[2], sums[0].Shared, sums[1].Shared, sums[2].Shared);
    }

    internal sealed class PairSums
    {
        private readonly Dictionary<long, KindSums[]> _byUser = [];

        public Dictionary<long, KindSums[]>.KeyCollection Users => _byUser.Keys;

        public KindSums[] Sums(long user) => _byUser[user];

        public int SharedOf(long user) => _byUser[user].Sum(s => s.Shared);

        public void Add(long user, int kind, double x, double y)
        {
            if (!_byUser.TryGetValue(user, out var sums))
            {
                sums = new KindSums[KindCount];
                _byUser[user] = sums;
            }

            ref var s = ref sums[kind];
            s.Shared++;
            s.Dot += x * y;
            s.SumX += x;
            s.SumY += y;
            s.SumXX += x * x;
            s.SumYY += y * y;
        }
    }

    internal struct KindSums
    {
        public int Shared;
        public double Dot;
        public double SumX;
        public double SumY;
        public double SumXX;
        public double SumYY;
    }
}

/// <summary>One of the newcomer's items and its weight.</summary>
public readonly record struct ItemWeight(long Item, double Weight);

/// <summary>Another user's weight for one of the newcomer's items.</summary>
public readonly record struct HolderWeight(long User, long Item, double Weight);

/// <summary>A stored user's item count and norm ‖w_k‖ for one kind (0 and 0 when they have none of it).</summary>
public readonly record struct VectorSummary(int Count, double Norm);

/// <summary>
/// The newcomer's scores: per metric every candidate at or above the threshold, best first (ties to the lower
/// user id). <see cref="Neighbour.User"/> indexes <see cref="CandidateIds"/> (ascending ids).
/// </summary>
public sealed class NewcomerScores(long[] candidateIds, Neighbour[][] ranked, int usersSharing, int maxNeighbours)
{
    public IReadOnlyList<long> CandidateIds { get; } = candidateIds;

    /// <summary>Users sharing at least one item with the newcomer (the pairs evaluated).</summary>
    public int UsersSharing { get; } = usersSharing;

    /// <summary>Every candidate of <paramref name="metric"/> at or above the threshold, best first.</summary>
    public IReadOnlyList<Neighbour> Ranked(SimilarityMetric metric) => ranked[(int)metric];

    /// <summary>The newcomer's own top-K (<see cref="SimilarityOptions.MaxSimilarUsers"/>).</summary>
    public IReadOnlyList<Neighbour> Top(SimilarityMetric metric) => ranked[(int)metric].Take(maxNeighbours).ToArray();

    public long UserId(Neighbour neighbour)
    {
        ArgumentNullException.ThrowIfNull(neighbour);
        return CandidateIds[neighbour.User];
    }
}
