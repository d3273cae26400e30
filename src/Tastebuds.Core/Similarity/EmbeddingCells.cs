using System.Numerics;
using System.Runtime.InteropServices;

namespace Tastebuds.Core.Similarity;

/// <summary>
/// An inverted file over a <see cref="UserEmbedding"/>: the users split into cells by spherical k-means on their vectors
/// (seeded, a fixed number of Lloyd steps on a seeded sample, then every user assigned to the centroid of largest inner
/// product), each cell's vectors stored together. A target scans only the cells whose centroids score highest for it,
/// so its cost is cells·d + (users in those cells)·d instead of users·d.
/// </summary>
internal sealed class EmbeddingCells
{
    private const int Iterations = 5;
    private const int SampleSize = 25_000;
    private readonly UserEmbedding _embedding;
    private readonly float[] _centroids;
    private readonly int[] _offsets;
    private readonly int[] _users;
    private readonly float[] _vectors;

    public EmbeddingCells(UserEmbedding embedding, int cells, int seed, ParallelOptions parallel)
    {
        _embedding = embedding;
        var n = embedding.Users;
        var d = embedding.Dimensions;
        Count = Math.Clamp(cells, 1, n);
        var random = new Random(seed);
        var sample = n <= SampleSize ? Enumerable.Range(0, n).ToArray() : Shuffled(n, random)[..SampleSize];
        Array.Sort(sample);
        var picks = Shuffled(sample.Length, random)[..Count];
        _centroids = new float[Count * d];
        for (var c = 0; c < Count; c++)
        {
            embedding.Of(sample[picks[c]]).CopyTo(_centroids.AsSpan(c * d, d));
        }

        var assigned = new int[n];
        for (var step = 0; step < Iterations; step++)
        {
            Parallel.For(0, sample.Length, parallel, i => assigned[i] = Nearest(embedding.Of(sample[i])));
            var sums = new double[Count * d];
            var members = new int[Count];
            for (var i = 0; i < sample.Length; i++)
            {
                var c = assigned[i];
                members[c]++;
                var v = embedding.Of(sample[i]);
                for (var j = 0; j < d; j++)
                {
                    sums[(c * d) + j] += v[j];
                }
            }

            for (var c = 0; c < Count; c++)
            {
                var norm = 0.0;
                for (var j = 0; j < d; j++)
                {
                    norm += sums[(c * d) + j] * sums[(c * d) + j];
                }

                // An empty cell keeps its centroid; the others move to their members' mean direction.
                if (members[c] > 0 && norm > 0)
                {
                    for (var j = 0; j < d; j++)
                    {
                        _centroids[(c * d) + j] = (float)(sums[(c * d) + j] / Math.Sqrt(norm));
                    }
                }
            }
        }

        Parallel.For(0, n, parallel, u => assigned[u] = Nearest(embedding.Of(u)));
        CellOf = assigned;
        _offsets = new int[Count + 1];
        foreach (var c in assigned)
        {
            _offsets[c + 1]++;
        }

        for (var c = 0; c < Count; c++)
        {
            _offsets[c + 1] += _offsets[c];
        }

        _users = new int[n];
        var next = (int[])_offsets.Clone();
        for (var u = 0; u < n; u++)
        {
            _users[next[assigned[u]]++] = u;
        }

        _vectors = new float[n * d];
        for (var i = 0; i < n; i++)
        {
            embedding.Of(_users[i]).CopyTo(_vectors.AsSpan(i * d, d));
        }
    }

    public int Count { get; }

    /// <summary>Each user's cell.</summary>
    public int[] CellOf { get; }

    /// <summary>
    /// The target's <paramref name="count"/> other users of largest ⟨e_u, e_v⟩ among the users of its
    /// <paramref name="probes"/> best cells, offered into <paramref name="heap"/> (entry user and slot = v); the kept set
    /// depends only on the cells scanned, not on the order of the offers (the heap's order is total).
    /// </summary>
    public void Nearest(int u, int probes, int count, BoundedHeap heap, BoundedHeap cells)
    {
        var d = _embedding.Dimensions;
        var target = MemoryMarshal.Cast<float, Vector<float>>(_embedding.Of(u));
        cells.Clear();
        for (var c = 0; c < Count; c++)
        {
            cells.Offer(c, Dot(target, _centroids.AsSpan(c * d, d)), c, probes);
        }

        var worst = float.NegativeInfinity;
        foreach (var cell in cells.Unordered)
        {
            for (var i = _offsets[cell.User]; i < _offsets[cell.User + 1]; i++)
            {
                var v = _users[i];
                var score = Dot(target, _vectors.AsSpan(i * d, d));
                if (score < worst || v == u)
                {
                    continue;
                }

                heap.Offer(v, score, v, count);
                if (heap.Count == count)
                {
                    worst = (float)heap.WorstScore;
                }
            }
        }

        cells.Clear();
    }

    private int Nearest(ReadOnlySpan<float> vector)
    {
        var d = _embedding.Dimensions;
        var v = MemoryMarshal.Cast<float, Vector<float>>(vector);
        var best = 0;
        var bestScore = float.NegativeInfinity;
        for (var c = 0; c < Count; c++)
        {
            var score = Dot(v, _centroids.AsSpan(c * d, d));
            if (score > bestScore)
            {
                bestScore = score;
                best = c;
            }
        }

        return best;
    }

    /// <summary>The same additions in the same order as <see cref="UserEmbedding"/>'s block scoring.</summary>
    private static float Dot(ReadOnlySpan<Vector<float>> target, ReadOnlySpan<float> other)
    {
        var o = MemoryMarshal.Cast<float, Vector<float>>(other);
        Vector<float> sum = default;
        for (var j = 0; j < o.Length; j++)
        {
            sum += target[j] * o[j];
        }

        var result = Vector.Sum(sum);
        var full = MemoryMarshal.Cast<Vector<float>, float>(target);
        for (var j = o.Length * Vector<float>.Count; j < other.Length; j++)
        {
            result += full[j] * other[j];
        }

        return result;
    }

    private static int[] Shuffled(int n, Random random)
    {
        var order = Enumerable.Range(0, n).ToArray();
        random.Shuffle(order);
        return order;
    }
}
