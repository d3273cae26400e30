using System.Collections.Concurrent;

namespace Tastebuds.Core.Models;

/// <summary>
/// A sparse item-item graph: per item i its top-K neighbours j with weight W(i,j) &gt; 0, weight descending
/// (ties to the lower j), never i itself. Built in one pass over co-occurrences:
/// <c>W(i,j) = finish(i, j, Σ_{u∈U(i)∩U(j)} a(u,i)·b(u,j))</c>.
/// </summary>
public sealed class ItemGraph
{
    private readonly int _stride;

    private ItemGraph(int stride, int[] counts, int[] neighbours, float[] weights)
    {
        _stride = stride;
        Counts = counts;
        Neighbours = neighbours;
        Weights = weights;
    }

    public int ItemCount => Counts.Length;

    /// <summary>Kept neighbours per item; item i's row starts at i·K of <see cref="Neighbours"/> and <see cref="Weights"/>.</summary>
    internal int[] Counts { get; }

    internal int[] Neighbours { get; }

    /// <summary>In single precision: at 200,000 items × K = 200 the graph is 40 million edges (320 MB, not 480).</summary>
    internal float[] Weights { get; }

    public ReadOnlySpan<int> NeighboursOf(int item) => Neighbours.AsSpan(item * _stride, Counts[item]);

    public ReadOnlySpan<float> WeightsOf(int item) => Weights.AsSpan(item * _stride, Counts[item]);

    /// <summary>
    /// For a walk over the rows of <paramref name="items"/> now at <paramref name="at"/>: asks the CPU for the row (its
    /// neighbours and weights) of the item two places ahead, if any, a random place in a graph of 160 MB at 200,000 items.
    /// </summary>
    internal void PrefetchAhead(ReadOnlySpan<int> items, int at)
    {
        if (at + 2 < items.Length)
        {
            var start = items[at + 2] * _stride;
            var count = Counts[items[at + 2]];
            Prefetch.Range(Neighbours, start, start + count);
            Prefetch.Range(Weights, start, start + count);
        }
    }

    /// <summary>W(i,j), or 0 when j is not among i's kept neighbours.</summary>
    public double Weight(int item, int neighbour)
    {
        var n = NeighboursOf(item);
        var at = n.IndexOf(neighbour);
        return at >= 0 ? WeightsOf(item)[at] : 0;
    }

    /// <param name="holderFactor">a(u,i), per entry of the item-major (holders) arrays of the slice.</param>
    /// <param name="userFactor">b(u,j), per entry of the user-major arrays of the slice.</param>
    /// <param name="finish">W(i,j) from the co-occurrence sum; a struct, so that the call per touched pair (up to 10⁸ of
    /// them at 100,000 users) is inlined rather than made through a delegate.</param>
    internal static ItemGraph Build<TFinish>(KindSlice slice, double[] holderFactor, double[] userFactor,
        TFinish finish, int topK, CancellationToken cancellationToken)
        where TFinish : struct, IEdgeFinish
    {
        var m = slice.ItemIds.Length;
        // Each row is written straight into its slot of K: no per-item arrays to copy, so the build's peak is the graph.
        var stride = (int)Math.Min(topK, Math.Max(0, m - 1));
        var counts = new int[m];
        var neighbours = new int[(long)m * stride];
        var weights = new float[(long)m * stride];
        // The co-occurrence sums in single precision: a thread's accumulator over 200,000 items is 0.8 MB, which stays in
        // a core's L2 (1 MB) where doubles (1.6 MB) did not; the 10⁹ random additions at 100,000 users are the build's cost.
        var a32 = Array.ConvertAll(holderFactor, v => (float)v);
        var b32 = Array.ConvertAll(userFactor, v => (float)v);
        var pool = new ConcurrentBag<Workspace>();
        Parallel.For(0, m, Parallelism.Options(cancellationToken),
            () => pool.TryTake(out var w) ? w : new Workspace(m, stride),
            (i, _, ws) =>
            {
                Accumulate(i, slice, a32, b32, ws.Acc, ws.Touched);

                // KeepTop clears each sum it reads: one pass over the touched items, not a second to clear them.
                counts[i] = KeepTop(i, ws, finish, neighbours.AsSpan(i * stride, stride), weights.AsSpan(i * stride, stride));
                ws.Touched.Clear();
                return ws;
            },
            pool.Add);

        return new ItemGraph(stride, counts, neighbours, weights);
    }

    /// <summary>
    /// Row i's co-occurrence sums into <paramref name="acc"/>, each item touched for the first time appended to
    /// <paramref name="touched"/>. Each holder's row (its items and b factors, 800 bytes at 100 tracks) is a random place
    /// in arrays of 80 MB: the row two holders ahead is asked for while this one is summed.
    /// </summary>
    private static void Accumulate(int i, KindSlice slice, float[] a32, float[] b32, float[] acc, List<int> touched)
    {
        var last = slice.ItemOffsets[i + 1];
        for (var h = slice.ItemOffsets[i]; h < last; h++)
        {
            if (h + 2 < last)
            {
                var ahead = slice.Holders[h + 2];
                Prefetch.Range(slice.Items, slice.UserOffsets[ahead], slice.UserOffsets[ahead + 1]);
                Prefetch.Range(b32, slice.UserOffsets[ahead], slice.UserOffsets[ahead + 1]);
            }

            var u = slice.Holders[h];
            var a = a32[h];
            var (start, end) = (slice.UserOffsets[u], slice.UserOffsets[u + 1]);
            var items = slice.Items.AsSpan(start, end - start);
            var b = b32.AsSpan(start, end - start);
            for (var e = 0; e < items.Length; e++)
            {
                var j = items[e];
                if (j == i)
                {
                    continue;
                }

                ref var sum = ref acc[j];
                if (sum == 0)
                {
                    touched.Add(j);
                }

                sum += a * b[e];
            }
        }
    }

    /// <summary>
    /// The best K of the touched items by a bounded heap (weight descending, ties to the lower j); each touched item's sum
    /// is set back to 0 as it is read, so the accumulator is clear for the next item.
    /// </summary>
    private static int KeepTop<TFinish>(int i, Workspace ws, TFinish finish, Span<int> neighbours, Span<float> weights)
        where TFinish : struct, IEdgeFinish
    {
        var heap = ws.Heap;
        heap.Clear();
        var k = neighbours.Length;
        // Once the heap is full, a weight under its worst cannot enter: one comparison for most of the (up to hundreds
        // of thousands of) items a popular item co-occurs with, instead of the heap's.
        var floor = 0.0;
        var acc = ws.Acc;
        foreach (var j in System.Runtime.InteropServices.CollectionsMarshal.AsSpan(ws.Touched))
        {
            ref var sum = ref acc[j];
            var w = finish.Weight(i, j, sum);
            sum = 0;
            if (!(w > 0) || w < floor || k == 0)
            {
                continue;
            }

            if (heap.Count < k)
            {
                heap.Enqueue(j, (w, j));
            }
            else if (heap.TryPeek(out _, out var worst) && WorstFirst.Instance.Compare((w, j), worst) > 0)
            {
                heap.DequeueEnqueue(j, (w, j));
            }

            if (heap.Count == k && heap.TryPeek(out _, out var least))
            {
                floor = least.Score;
            }
        }

        var count = heap.Count;
        for (var n = count - 1; n >= 0; n--)
        {
            heap.TryDequeue(out _, out var best);
            neighbours[n] = best.Item;
            weights[n] = (float)best.Score;
        }

        return count;
    }

    /// <summary>W(i,j) from Σ_u a(u,i)·b(u,j).</summary>
    internal interface IEdgeFinish
    {
        double Weight(int item, int neighbour, double sum);
    }

    private sealed class Workspace(int items, int k)
    {
        public float[] Acc { get; } = new float[items];

        public List<int> Touched { get; } = [];

        public PriorityQueue<int, (double Score, int Item)> Heap { get; } = new(k + 1, WorstFirst.Instance);
    }
}
