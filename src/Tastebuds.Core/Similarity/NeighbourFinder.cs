using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Tastebuds.Core.Similarity;

/// <summary>
/// Top-K similar users for cosine, Jaccard and Pearson in one pass over the pairs that share an
/// item, found through the inverted index (never all pairs, never an n×n matrix). With
/// <see cref="SimilarityOptions.MaxHoldersPerItem"/> the posting lists of popular items are capped, so the work per
/// user is bounded whatever the number of users, and the shortlist found that way is rescored exactly.
/// </summary>
public static partial class NeighbourFinder
{
    private const int MetricCount = 3;

    /// <summary>A pruned target scores, for its shortlist, the candidates seen sharing the most items: this many times the shortlist's size per metric.</summary>
    private const int PoolFactor = 4;

    /// <summary>Pearson's shortlist is this many times cosine's and Jaccard's (its estimate, over unpopular items only, is rougher).</summary>
    private const int PearsonFactor = 2;

    public static NeighbourSet Compute(InteractionMatrix matrix, SimilarityOptions options, CancellationToken cancellationToken) =>
        Compute(matrix, options, null, cancellationToken);

    /// <summary>
    /// The neighbours of <paramref name="targets"/> only (every user when null): each target's lists are those the
    /// whole search gives it; other users get none. A sample of targets measures a search's recall cheaply.
    /// </summary>
    public static NeighbourSet Compute(InteractionMatrix matrix, SimilarityOptions options, IReadOnlyList<int>? targets,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(options);
        if (options.EmbeddingSearchFor(matrix.UserCount))
        {
            return ComputeEmbedded(matrix, options, targets, cancellationToken);
        }

        var clock = Stopwatch.StartNew();
        var n = matrix.UserCount;
        var result = EmptyLists(n, targets);

        var slices = InteractionMatrix.Kinds.Select(matrix.Slice).ToArray();
        var cap = options.MaxHoldersPerItem;
        var popular = cap > 0 ? slices.Select(s => PopularEntries.Of(s, cap)).ToArray() : null;
        var popularCounts = popular?.Select(p => p.Count).ToArray() ?? [0, 0, 0];
        var strongest = cap > 0 ? slices.Select(s => PopularHolders.Of(s, cap)).ToArray() : null;
        var prepared = clock.Elapsed;
        var totals = new SearchTotals();

        // Parallel.For re-runs localInit whenever it recycles a worker task, so workspaces (O(n) each)
        // come from a pool instead of being allocated again.
        var pool = new ConcurrentBag<PairWorkspace>();
        // One worker per core at most when unbounded: the pool would otherwise add threads (each with an O(n)
        // workspace) to a CPU-bound loop, and they only evict each other's caches.
        var parallel = Parallelism.Options(options.MaxDegreeOfParallelism, cancellationToken);
        Parallel.For(
            0,
            targets?.Count ?? n,
            parallel,
            () => pool.TryTake(out var reused) ? reused : new PairWorkspace(n, popularCounts),
            (i, _, workspace) =>
            {
                var u = targets is null ? i : targets[i];
                List<int>? shortlist = null;
                var pruned = HasPopular(slices, u, cap);
                var started = Stopwatch.GetTimestamp();
                workspace.Begin(pruned ? options.MinSharedItems / 2 : options.MinSharedItems);
                Accumulate(slices, strongest, u, workspace);
                var accumulated = Stopwatch.GetTimestamp();
                workspace.PhaseTicks[PairWorkspace.AccumulatePhase] += accumulated - started;
                if (pruned)
                {
                    shortlist = Rescore(slices, popular!, options, u, workspace);
                }

                var rescored = Stopwatch.GetTimestamp();
                Select(slices, options, u, new WorkspaceSums(workspace, slices), workspace.Heaps,
                    CollectionsMarshal.AsSpan(shortlist ?? workspace.Qualified), result);
                workspace.Reset(shortlist?.Count ?? workspace.Count);
                workspace.PhaseTicks[PairWorkspace.SelectPhase] += Stopwatch.GetTimestamp() - rescored;
                return workspace;
            },
            workspace =>
            {
                totals.Drain(workspace);
                pool.Add(workspace);
            });

        return new NeighbourSet(result, totals.Stats(n, result, prepared, clock.Elapsed));
    }

    /// <summary>Per metric, a list per user: to be filled for every user, or empty for all but <paramref name="targets"/>.</summary>
    private static NeighbourRow[][][] EmptyLists(int users, IReadOnlyList<int>? targets)
    {
        var result = new NeighbourRow[MetricCount][][];
        for (var m = 0; m < MetricCount; m++)
        {
            result[m] = new NeighbourRow[users][];
            if (targets is not null)
            {
                Array.Fill(result[m], []);
            }
        }

        return result;
    }

    /// <summary>
    /// Exact sums over every item whose posting list is visited whole; for a popular item only its
    /// <see cref="PopularHolders"/> (the cap's worth of holders it weighs most for), into the estimates.
    /// </summary>
    private static void Accumulate(KindSlice[] slices, PopularHolders[]? strongest, int u, PairWorkspace workspace)
    {
        for (var k = 0; k < slices.Length; k++)
        {
            var s = slices[k];
            var top = strongest?[k];
            for (var e = s.UserOffsets[u]; e < s.UserOffsets[u + 1]; e++)
            {
                var item = s.Items[e];
                var x = s.Weights[e];
                var popular = top is null ? -1 : top.PopularOf[item];
                if (popular >= 0)
                {
                    workspace.Estimate(top!.Holders, top.Weights, popular * top.Cap, top.Cap, u, k, x);
                }
                else
                {
                    var start = s.ItemOffsets[item];
                    workspace.Visit(s.Holders, s.HolderWeights, start, s.ItemOffsets[item + 1] - start, u, k, x);
                }
            }
        }
    }

    /// <summary>True when an item of the target is popular: its exact sums will then lack the popular items.</summary>
    private static bool HasPopular(KindSlice[] slices, int u, int cap)
    {
        if (cap <= 0)
        {
            return false;
        }

        foreach (var s in slices)
        {
            for (var e = s.UserOffsets[u]; e < s.UserOffsets[u + 1]; e++)
            {
                if (PopularEntries.IsPopular(s, s.Items[e], cap))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static void Offer(BoundedHeap heap, int slot, double score, int v, int capacity) =>
        heap.Offer(slot, score, v, capacity);

    /// <param name="slots">The slots to rank: a pruned target's shortlist, or the candidates sharing MinSharedItems.</param>
    private static void Select<TSums>(KindSlice[] slices, SimilarityOptions options, int u, TSums sums, BoundedHeap[] heaps,
        ReadOnlySpan<int> slots, NeighbourRow[][][] result)
        where TSums : struct, IPairSums
    {
        Span<double> scores = stackalloc double[MetricCount];
        foreach (var slot in slots)
        {
            Offer(slices, options, u, sums, slot, heaps, scores);
        }

        Keep(slices, options, u, sums, heaps, result);
    }

    /// <summary>The pair in <paramref name="slot"/> offered to the target's heap of each metric, if it shares MinSharedItems.</summary>
    private static void Offer<TSums>(KindSlice[] slices, SimilarityOptions options, int u, TSums sums, int slot, BoundedHeap[] heaps,
        Span<double> scores)
        where TSums : struct, IPairSums
    {
        var shared = SharedOf(sums, slot);
        if (shared < Math.Max(1, options.MinSharedItems))
        {
            return;
        }

        Combined(slices, options, u, sums, slot, shared, scores);
        var v = sums.UserOf(slot);
        for (var m = 0; m < MetricCount; m++)
        {
            var score = scores[m];
            if (score < options.SimilarityThreshold)
            {
                continue;
            }

            Offer(heaps[m], slot, score, v, options.MaxSimilarUsers);
        }
    }

    /// <summary>The target's neighbours per metric, best first, from its heaps (left empty).</summary>
    private static void Keep<TSums>(KindSlice[] slices, SimilarityOptions options, int u, TSums sums, BoundedHeap[] heaps,
        NeighbourRow[][][] result)
        where TSums : struct, IPairSums
    {
        for (var m = 0; m < MetricCount; m++)
        {
            var kept = new NeighbourRow[heaps[m].Count];
            for (var i = kept.Length - 1; i >= 0; i--)
            {
                var slot = heaps[m].PopWorst();
                kept[i] = Describe(slices, options, (SimilarityMetric)m, u, sums, slot);
            }

            result[m][u] = kept;
        }
    }

    /// <summary>Items shared with the candidate in <paramref name="slot"/>, all kinds together.</summary>
    private static double SharedOf<TSums>(TSums sums, int slot)
        where TSums : struct, IPairSums =>
        sums.Sums(slot, 0)[PairWorkspace.SharedCount] + sums.Sums(slot, 1)[PairWorkspace.SharedCount] + sums.Sums(slot, 2)[PairWorkspace.SharedCount];

    /// <summary>The three metrics' combined scores of a pair: each kind's sums read once, its three scores computed together.</summary>
    private static void Combined<TSums>(KindSlice[] slices, SimilarityOptions options, int u, TSums sums, int slot, double shared,
        Span<double> scores)
        where TSums : struct, IPairSums
    {
        var cosine = 0.0;
        var jaccard = 0.0;
        var pearson = 0.0;
        var alphaSum = 0.0;
        for (var kind = 0; kind < slices.Length; kind++)
        {
            var s = slices[kind];
            var countU = s.Count(u);
            var other = sums.Summary(slot, kind);
            if (countU == 0 || other.Count == 0)
            {
                continue;
            }

            var alpha = options.KindWeight((ItemKind)kind);
            alphaSum += alpha;
            var acc = sums.Sums(slot, kind);
            var sharedK = acc[PairWorkspace.SharedCount];
            var dot = acc[PairWorkspace.Dot];
            cosine += alpha * PairScores.Cosine(dot, s.Norms[u], other.Norm);
            jaccard += alpha * PairScores.Jaccard(sharedK, countU, other.Count);
            pearson += alpha * PairScores.Pearson(sharedK, acc[PairWorkspace.SumX], acc[PairWorkspace.SumY],
                acc[PairWorkspace.SumXX], acc[PairWorkspace.SumYY], dot);
        }

        var significance = PairScores.Significance(shared, options.ShrinkageShared);
        scores[(int)SimilarityMetric.Cosine] = alphaSum > 0 ? cosine / alphaSum * significance : 0.0;
        scores[(int)SimilarityMetric.Jaccard] = alphaSum > 0 ? jaccard / alphaSum * significance : 0.0;
        scores[(int)SimilarityMetric.Pearson] = alphaSum > 0 ? pearson / alphaSum * significance : 0.0;
    }

    private static NeighbourRow Describe<TSums>(KindSlice[] slices, SimilarityOptions options, SimilarityMetric metric, int u, TSums sums, int slot)
        where TSums : struct, IPairSums
    {
        Span<double> perKind = stackalloc double[3];
        perKind.Fill(double.NaN);
        Span<int> sharedPerKind = stackalloc int[3];
        Span<double> scores = stackalloc double[MetricCount];
        for (var kind = 0; kind < slices.Length; kind++)
        {
            var acc = sums.Sums(slot, kind);
            sharedPerKind[kind] = (int)acc[PairWorkspace.SharedCount];
            var s = slices[kind];
            var other = sums.Summary(slot, kind);
            if (s.Count(u) > 0 && other.Count > 0)
            {
                perKind[kind] = PairScores.Kind(metric, acc[PairWorkspace.SharedCount], acc[PairWorkspace.Dot], acc[PairWorkspace.SumX],
                    acc[PairWorkspace.SumY], acc[PairWorkspace.SumXX], acc[PairWorkspace.SumYY], new VectorSummary(s.Count(u), s.Norms[u]), other);
            }
        }

        Combined(slices, options, u, sums, slot, sharedPerKind[0] + sharedPerKind[1] + sharedPerKind[2], scores);
        return new NeighbourRow(sums.UserOf(slot), scores[(int)metric], perKind[0], perKind[1], perKind[2],
            sharedPerKind[0], sharedPerKind[1], sharedPerKind[2]);
    }
}
