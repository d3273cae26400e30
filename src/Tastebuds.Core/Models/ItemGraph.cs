using System.Collections.Concurrent;

namespace Tastebuds.Core.Models;

/// <summary>
/// A sparse item-item graph: per item i its top-K neighbours j with weight W(i,j) &gt; 0, weight descending
/// (ties to the lower j), never i itself. Built in one pass over co-occurrences:
/// <c>W(i,j) = finish(i, j, Σ_{u∈U(i)∩U(j)} a(u,i)·b(u,j))</c>.
/// </summary>
public sealed class ItemGraph
{
    private ItemGraph(int[] offsets, int[] neighbours, double[] weights)
    {
        Offsets = offsets;
        Neighbours = neighbours;
        Weights = weights;
    }

    public int ItemCount => Offsets.Length - 1;

    internal int[] Offsets { get; }

    internal int[] Neighbours { get; }

    internal double[] Weights { get; }

    public ReadOnlySpan<int> NeighboursOf(int item) => Neighbours.AsSpan(Offsets[item], Offsets[item + 1] - Offsets[item]);

    public ReadOnlySpan<double> WeightsOf(int item) => Weights.AsSpan(Offsets[item], Offsets[item + 1] - Offsets[item]);

    /// <summary>W(i,j), or 0 when j is not among i's kept neighbours.</summary>
    public double Weight(int item, int neighbour)
    {
        var n = NeighboursOf(item);
        for (var e = 0; e < n.Length; e++)
        {
            if (n[e] == neighbour)
            {
                return Weights[Offsets[item] + e];
            }
        }

        return 0;
    }

    /// <param name="holderFactor">a(u,i), per entry of the item-major (holders) arrays of the slice.</param>
    /// <param name="userFactor">b(u,j), per entry of the user-major arrays of the slice.</param>
    internal static ItemGraph Build(KindSlice slice, double[] holderFactor, double[] userFactor,
        Func<int, int, double, double> finish, int topK, CancellationToken cancellationToken)
    {
        var m = slice.ItemIds.Length;
        var rows = new (int[] Items, double[] Weights)[m];
        var pool = new ConcurrentBag<(double[] Acc, List<int> Touched)>();
        Parallel.For(0, m, new ParallelOptions { CancellationToken = cancellationToken },
            () => pool.TryTake(out var w) ? w : (new double[m], new List<int>()),
            (i, _, ws) =>
            {
                var (acc, touched) = ws;
                for (var h = slice.ItemOffsets[i]; h < slice.ItemOffsets[i + 1]; h++)
                {
                    var u = slice.Holders[h];
                    var a = holderFactor[h];
                    for (var e = slice.UserOffsets[u]; e < slice.UserOffsets[u + 1]; e++)
                    {
                        var j = slice.Items[e];
                        if (j == i)
                        {
                            continue;
                        }

                        if (acc[j] == 0)
                        {
                            touched.Add(j);
                        }

                        acc[j] += a * userFactor[e];
                    }
                }

                rows[i] = KeepTop(i, acc, touched, finish, topK);
                foreach (var j in touched)
                {
                    acc[j] = 0;
                }

                touched.Clear();
                return ws;
            },
            pool.Add);

        var offsets = new int[m + 1];
        for (var i = 0; i < m; i++)
        {
            offsets[i + 1] = offsets[i] + rows[i].Items.Length;
        }

        var neighbours = new int[offsets[m]];
        var weights = new double[offsets[m]];
        for (var i = 0; i < m; i++)
        {
            rows[i].Items.CopyTo(neighbours, offsets[i]);
            rows[i].Weights.CopyTo(weights, offsets[i]);
        }

        return new ItemGraph(offsets, neighbours, weights);
    }

    private static (int[], double[]) KeepTop(int i, double[] acc, List<int> touched, Func<int, int, double, double> finish, int topK)
    {
        var candidates = new List<(double W, int J)>(touched.Count);
        foreach (var j in touched)
        {
            var w = finish(i, j, acc[j]);
            if (w > 0)
            {
                candidates.Add((w, j));
            }
        }

        candidates.Sort(static (x, y) => x.W != y.W ? y.W.CompareTo(x.W) : x.J.CompareTo(y.J));
        var kept = candidates.Take(topK).ToArray();
        return (kept.Select(c => c.J).ToArray(), kept.Select(c => c.W).ToArray());
    }
}
