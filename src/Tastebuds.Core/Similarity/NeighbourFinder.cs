using System.Collections.Concurrent;
using System.Diagnostics;

namespace Tastebuds.Core.Similarity;

/// <summary>
/// Top-K similar users for cosine, Jaccard and Pearson in one pass over the pairs that share an
/// item, found through the inverted index (never all pairs, never an n×n matrix).
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
        var result = new Neighbour[MetricCount][][];
        for (var m = 0; m < MetricCount; m++)
        {
            result[m] = new Neighbour[n][];
        }

        var slices = InteractionMatrix.Kinds.Select(matrix.Slice).ToArray();
        long pairs = 0;

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
            () => pool.TryTake(out var reused) ? reused : new PairWorkspace(n, options.MaxSimilarUsers),
            (u, _, workspace) =>
            {
                Accumulate(slices, u, workspace);
                Select(slices, options, u, workspace, result);
                workspace.Reset();
                return workspace;
            },
            workspace =>
            {
                Interlocked.Add(ref pairs, workspace.PairsEvaluated);
                workspace.PairsEvaluated = 0;
                pool.Add(workspace);
            });

        var stats = new NeighbourStats(n, pairs,
            result[(int)SimilarityMetric.Cosine].Sum(l => (long)l.Length),
            result[(int)SimilarityMetric.Jaccard].Sum(l => (long)l.Length),
            result[(int)SimilarityMetric.Pearson].Sum(l => (long)l.Length),
            clock.Elapsed);
        return new NeighbourSet(result, stats);
    }

    private static void Accumulate(KindSlice[] slices, int u, PairWorkspace workspace)
    {
        for (var k = 0; k < slices.Length; k++)
        {
            var s = slices[k];
            for (var e = s.UserOffsets[u]; e < s.UserOffsets[u + 1]; e++)
            {
                var item = s.Items[e];
                var x = s.Weights[e];
                for (var h = s.ItemOffsets[item]; h < s.ItemOffsets[item + 1]; h++)
                {
                    var v = s.Holders[h];
                    if (v != u)
                    {
                        workspace.Add(v, k, x, s.HolderWeights[h]);
                    }
                }
            }
        }
    }

    private static void Select(KindSlice[] slices, SimilarityOptions options, int u, PairWorkspace ws, Neighbour[][][] result)
    {
        var k = options.MaxSimilarUsers;
        var heaps = ws.Heaps;

        var minShared = Math.Max(1, options.MinSharedItems);
        Span<double> scores = stackalloc double[MetricCount];
        for (var slot = 0; slot < ws.Count; slot++)
        {
            var v = ws.Candidates[slot];
            var shared = 0;
            for (var kind = 0; kind < slices.Length; kind++)
            {
                shared += ws.Shared[PairWorkspace.SharedIndex(slot, kind)];
            }

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

                if (heaps[m].Count < k)
                {
                    heaps[m].Enqueue(slot, (score, v));
                }
                else if (heaps[m].TryPeek(out _, out var worst) && NeighbourOrder.WorstFirst.Compare((score, v), worst) > 0)
                {
                    heaps[m].EnqueueDequeue(slot, (score, v));
                }
            }
        }

        for (var m = 0; m < MetricCount; m++)
        {
            var kept = new Neighbour[heaps[m].Count];
            for (var i = kept.Length - 1; i >= 0; i--)
            {
                var slot = heaps[m].Dequeue();
                kept[i] = Describe(slices, options, (SimilarityMetric)m, u, ws, slot);
            }

            result[m][u] = kept;
        }
    }

    private static void Combined(KindSlice[] slices, SimilarityOptions options, int u, int v,
        PairWorkspace ws, int slot, int shared, Span<double> scores)
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
        var shared = ws.Shared[PairWorkspace.SharedIndex(slot, kind)];
        var a = PairWorkspace.AccIndex(slot, kind);
        var acc = ws.Acc;
        return metric switch
        {
            SimilarityMetric.Cosine => PairScores.Cosine(acc[a + PairWorkspace.Dot], s.Norms[u], s.Norms[v]),
            SimilarityMetric.Jaccard => PairScores.Jaccard(shared, s.Count(u), s.Count(v)),
            _ => PairScores.Pearson(shared, acc[a + PairWorkspace.SumX], acc[a + PairWorkspace.SumY],
                acc[a + PairWorkspace.SumXX], acc[a + PairWorkspace.SumYY], acc[a + PairWorkspace.Dot]),
        };
    }

    private static Neighbour Describe(KindSlice[] slices, SimilarityOptions options, SimilarityMetric metric, int u, PairWorkspace ws, int slot)
    {
        var v = ws.Candidates[slot];
        var perKind = new double?[slices.Length];
        var sharedPerKind = new int[slices.Length];
        Span<double> scores = stackalloc double[MetricCount];
        for (var kind = 0; kind < slices.Length; kind++)
        {
            sharedPerKind[kind] = ws.Shared[PairWorkspace.SharedIndex(slot, kind)];
            var s = slices[kind];
            if (s.Count(u) > 0 && s.Count(v) > 0)
            {
                perKind[kind] = KindScore(s, metric, u, v, ws, slot, kind);
            }
        }

        Combined(slices, options, u, v, ws, slot, sharedPerKind.Sum(), scores);
        return new Neighbour(v, scores[(int)metric], perKind[0], perKind[1], perKind[2],
            sharedPerKind[0], sharedPerKind[1], sharedPerKind[2]);
    }
}
