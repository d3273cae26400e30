using System.Collections.Concurrent;
using System.Diagnostics;

namespace Tastebuds.Core.Similarity;

/// <summary>
/// Top-K similar users for cosine, Jaccard and Pearson in one pass over the pairs that share an
/// item, found through the inverted index (never all pairs, never an n×n matrix). With
/// <see cref="SimilarityOptions.MaxHoldersPerItem"/> the posting lists of popular items are capped, so the work per
/// user is bounded whatever the number of users, and the shortlist found that way is rescored exactly.
/// </summary>
public static class NeighbourFinder
{
    private const int MetricCount = 3;

    public static NeighbourSet Compute(InteractionMatrix matrix, SimilarityOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(options);

        var clock = Stopwatch.StartNew();
        var n = matrix.UserCount;
        var result = new NeighbourRow[MetricCount][][];
        for (var m = 0; m < MetricCount; m++)
        {
            result[m] = new NeighbourRow[n][];
        }

        var slices = InteractionMatrix.Kinds.Select(matrix.Slice).ToArray();
        var itemCounts = slices.Select(s => s.ItemIds.Length).ToArray();
        var cap = options.MaxHoldersPerItem;
        long pairs = 0;
        long steps = 0;

        // Parallel.For re-runs localInit whenever it recycles a worker task, so workspaces (O(n) each)
        // come from a pool instead of being allocated again.
        var pool = new ConcurrentBag<PairWorkspace>();
        var parallel = new ParallelOptions
        {
            CancellationToken = cancellationToken,
            MaxDegreeOfParallelism = options.MaxDegreeOfParallelism,
        };
        Parallel.For(
            0,
            n,
            parallel,
            () => pool.TryTake(out var reused) ? reused : new PairWorkspace(n, options.MaxSimilarUsers, itemCounts),
            (u, _, workspace) =>
            {
                if (Accumulate(slices, u, workspace, cap))
                {
                    Rescore(slices, options, u, workspace);
                }

                Select(slices, options, u, workspace, result);
                workspace.Reset();
                return workspace;
            },
            workspace =>
            {
                Interlocked.Add(ref pairs, workspace.PairsEvaluated);
                Interlocked.Add(ref steps, workspace.AccumulationSteps);
                workspace.PairsEvaluated = 0;
                workspace.AccumulationSteps = 0;
                pool.Add(workspace);
            });

        var stats = new NeighbourStats(n, pairs,
            result[(int)SimilarityMetric.Cosine].Sum(l => (long)l.Length),
            result[(int)SimilarityMetric.Jaccard].Sum(l => (long)l.Length),
            result[(int)SimilarityMetric.Pearson].Sum(l => (long)l.Length),
            clock.Elapsed) { AccumulationSteps = steps };
        return new NeighbourSet(result, stats);
    }

    /// <returns>True when a posting list was capped: the sums are then partial and only good for a shortlist.</returns>
    private static bool Accumulate(KindSlice[] slices, int u, PairWorkspace workspace, int cap)
    {
        var pruned = false;
        for (var k = 0; k < slices.Length; k++)
        {
            var s = slices[k];
            for (var e = s.UserOffsets[u]; e < s.UserOffsets[u + 1]; e++)
            {
                var item = s.Items[e];
                var x = s.Weights[e];
                var start = s.ItemOffsets[item];
                var count = s.ItemOffsets[item + 1] - start;
                if (cap > 0 && count > cap)
                {
                    // A window of `cap` holders (wrapping round), at a place that depends on the target and the item.
                    pruned = true;
                    var first = (int)unchecked((((uint)u * 2654435761u) ^ ((uint)item * 40503u)) % (uint)count);
                    var head = Math.Min(cap, count - first);
                    Visit(s, k, u, x, start + first, head, workspace);
                    Visit(s, k, u, x, start, cap - head, workspace);
                }
                else
                {
                    Visit(s, k, u, x, start, count, workspace);
                }
            }
        }

        return pruned;
    }

    private static void Visit(KindSlice s, int kind, int u, double x, int from, int count, PairWorkspace workspace)
    {
        for (var h = from; h < from + count; h++)
        {
            var v = s.Holders[h];
            if (v != u)
            {
                workspace.Add(v, kind, x, s.HolderWeights[h]);
            }
        }
    }

    /// <summary>
    /// After a pruned accumulation: the RescoreFactor·K best candidates by cosine and by Jaccard on their partial sums
    /// (no threshold: partial sums undercount; candidates with fewer than half of MinSharedItems seen are skipped),
    /// then the union of the two shortlists accumulated again exactly, by looking each candidate's items up in the
    /// target's. <see cref="Select"/> then ranks all three metrics on exact sums; Pearson takes its neighbours from
    /// that union (its partial-sum estimate is too noisy to shortlist by).
    /// </summary>
    private static void Rescore(KindSlice[] slices, SimilarityOptions options, int u, PairWorkspace ws)
    {
        var capacity = options.RescoreFactor * options.MaxSimilarUsers;
        var heaps = ws.Heaps;
        var minShared = Math.Max(1, options.MinSharedItems / 2);
        Span<double> scores = stackalloc double[MetricCount];
        for (var slot = 0; slot < ws.Count; slot++)
        {
            var v = ws.Candidates[slot];
            var shared = ws.SharedOf(slot);

            if (shared < minShared)
            {
                continue;
            }

            Combined(slices, options, u, v, ws, slot, shared, scores);
            Offer(heaps[(int)SimilarityMetric.Cosine], slot, scores[(int)SimilarityMetric.Cosine], v, capacity);
            Offer(heaps[(int)SimilarityMetric.Jaccard], slot, scores[(int)SimilarityMetric.Jaccard], v, capacity);
        }

        var shortlist = ws.Shortlist;
        shortlist.Clear();
        foreach (var heap in heaps)
        {
            while (heap.TryDequeue(out var slot, out _))
            {
                var v = ws.Candidates[slot];
                if (ws.Stamps[v] != u + 1)
                {
                    ws.Stamps[v] = u + 1;
                    shortlist.Add(v);
                }
            }
        }

        ws.Reset(scored: false);
        for (var kind = 0; kind < slices.Length; kind++)
        {
            var s = slices[kind];
            var positions = ws.Positions[kind];
            for (var e = s.UserOffsets[u]; e < s.UserOffsets[u + 1]; e++)
            {
                positions[s.Items[e]] = e + 1;
            }

            foreach (var v in shortlist)
            {
                for (var e = s.UserOffsets[v]; e < s.UserOffsets[v + 1]; e++)
                {
                    var at = positions[s.Items[e]];
                    if (at > 0)
                    {
                        ws.Add(v, kind, s.Weights[at - 1], s.Weights[e]);
                    }
                }
            }

            for (var e = s.UserOffsets[u]; e < s.UserOffsets[u + 1]; e++)
            {
                positions[s.Items[e]] = 0;
            }
        }
    }

    private static void Offer(PriorityQueue<int, (double Score, int User)> heap, int slot, double score, int v, int capacity)
    {
        if (heap.Count < capacity)
        {
            heap.Enqueue(slot, (score, v));
        }
        else if (heap.TryPeek(out _, out var worst) && NeighbourOrder.WorstFirst.Compare((score, v), worst) > 0)
        {
            heap.EnqueueDequeue(slot, (score, v));
        }
    }

    private static void Select(KindSlice[] slices, SimilarityOptions options, int u, PairWorkspace ws, NeighbourRow[][][] result)
    {
        var k = options.MaxSimilarUsers;
        var heaps = ws.Heaps;

        var minShared = Math.Max(1, options.MinSharedItems);
        Span<double> scores = stackalloc double[MetricCount];
        for (var slot = 0; slot < ws.Count; slot++)
        {
            var v = ws.Candidates[slot];
            var shared = ws.SharedOf(slot);

            if (shared < minShared)
            {
                continue;
            }

            Combined(slices, options, u, v, ws, slot, shared, scores);
            for (var m = 0; m < MetricCount; m++)
            {
                var score = scores[m];
                if (score < options.SimilarityThreshold)
                {
                    continue;
                }

                Offer(heaps[m], slot, score, v, k);
            }
        }

        for (var m = 0; m < MetricCount; m++)
        {
            var kept = new NeighbourRow[heaps[m].Count];
            for (var i = kept.Length - 1; i >= 0; i--)
            {
                var slot = heaps[m].Dequeue();
                kept[i] = Describe(slices, options, (SimilarityMetric)m, u, ws, slot);
            }

            result[m][u] = kept;
        }
    }

    private static void Combined(KindSlice[] slices, SimilarityOptions options, int u, int v,
        PairWorkspace ws, int slot, double shared, Span<double> scores)
    {
        scores.Clear();
        var alphaSum = 0.0;
        for (var kind = 0; kind < slices.Length; kind++)
        {
            var s = slices[kind];
            if (s.Count(u) == 0 || s.Count(v) == 0)
            {
                continue;
            }

            var alpha = options.KindWeight((ItemKind)kind);
            alphaSum += alpha;
            for (var m = 0; m < MetricCount; m++)
            {
                scores[m] += alpha * KindScore(s, (SimilarityMetric)m, u, v, ws, slot, kind);
            }
        }

        var significance = PairScores.Significance(shared, options.ShrinkageShared);
        for (var m = 0; m < MetricCount; m++)
        {
            scores[m] = alphaSum > 0 ? scores[m] / alphaSum * significance : 0.0;
        }
    }

    private static double KindScore(KindSlice s, SimilarityMetric metric, int u, int v, PairWorkspace ws, int slot, int kind)
    {
        var a = PairWorkspace.AccIndex(slot, kind);
        var acc = ws.Acc;
        return PairScores.Kind(metric, ws.Shared[PairWorkspace.SharedIndex(slot, kind)], acc[a + PairWorkspace.Dot],
            acc[a + PairWorkspace.SumX], acc[a + PairWorkspace.SumY], acc[a + PairWorkspace.SumXX], acc[a + PairWorkspace.SumYY],
            new VectorSummary(s.Count(u), s.Norms[u]), new VectorSummary(s.Count(v), s.Norms[v]));
    }

    private static NeighbourRow Describe(KindSlice[] slices, SimilarityOptions options, SimilarityMetric metric, int u, PairWorkspace ws, int slot)
    {
        var v = ws.Candidates[slot];
        Span<double> perKind = stackalloc double[3];
        perKind.Fill(double.NaN);
        Span<int> sharedPerKind = stackalloc int[3];
        Span<double> scores = stackalloc double[MetricCount];
        for (var kind = 0; kind < slices.Length; kind++)
        {
            sharedPerKind[kind] = (int)ws.Shared[PairWorkspace.SharedIndex(slot, kind)];
            var s = slices[kind];
            if (s.Count(u) > 0 && s.Count(v) > 0)
            {
                perKind[kind] = KindScore(s, metric, u, v, ws, slot, kind);
            }
        }

        Combined(slices, options, u, v, ws, slot, sharedPerKind[0] + sharedPerKind[1] + sharedPerKind[2], scores);
        return new NeighbourRow(v, scores[(int)metric], perKind[0], perKind[1], perKind[2],
            sharedPerKind[0], sharedPerKind[1], sharedPerKind[2]);
    }
}
