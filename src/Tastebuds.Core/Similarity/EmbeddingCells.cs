using System.Numerics;
using Tastebuds.Core.Models;

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
    private readonly int _dimensions;
    private readonly float[] _centroids;
    private readonly int[] _offsets;
    private readonly int[] _users;
    /// <summary>Every user's vector, cell by cell: the cells keep the only copy, so the embedding itself can be let go.</summary>
    private readonly float[] _vectors;

    /// <summary>Each user's place in <see cref="_vectors"/>.</summary>
    private readonly int[] _positions;

    public EmbeddingCells(UserEmbedding embedding, int cells, int seed, ParallelOptions parallel)
    {
        _dimensions = embedding.Dimensions;
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
        _positions = new int[n];
        for (var i = 0; i < n; i++)
        {
            embedding.Of(_users[i]).CopyTo(_vectors.AsSpan(i * d, d));
            _positions[_users[i]] = i;
        }
    }

    public int Count { get; }

    /// <summary>The user's vector e_u.</summary>
    public ReadOnlySpan<float> Of(int user) => _vectors.AsSpan(_positions[user] * _dimensions, _dimensions);

    /// <summary>Each user's cell.</summary>
    public int[] CellOf { get; }

    /// <summary>
    /// For each target of <paramref name="block"/> (at most 64), its <paramref name="count"/> other users of largest
    /// ⟨e_u, e_v⟩ among the users of its <paramref name="probes"/> best cells, offered into its set of
    /// <paramref name="tops"/> (reset here). Each cell is read once for all the block's targets that scan it (targets
    /// of one cell scan much the same cells), four targets' products at a time, instead of every scanned vector being
    /// read once per target. A target's kept set depends only on the cells it scans, not on the order of the offers
    /// (the order is total), and each product is <see cref="VectorMath.Dot"/>'s additions in its order.
    /// </summary>
    public void Nearest(ReadOnlySpan<int> block, int probes, int count, TopCandidates[] tops, BoundedHeap cells)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(block.Length, 64);
        var d = _dimensions;
        // Per cell, the block targets that scan it, as bits.
        var scanners = Count <= 1024 ? stackalloc ulong[Count] : new ulong[Count];
        scanners.Clear();
        for (var t = 0; t < block.Length; t++)
        {
            var target = Of(block[t]);
            cells.Clear();
            for (var c = 0; c < Count; c++)
            {
                cells.Offer(c, VectorMath.Dot(target, _centroids.AsSpan(c * d, d)), c, probes);
            }

            foreach (var cell in cells.Unordered)
            {
                scanners[cell.User] |= 1UL << t;
            }
        }

        cells.Clear();
        for (var t = 0; t < block.Length; t++)
        {
            tops[t].Reset(count);
        }

        // The cells most of the block scans first (its own cell and the nearest): their users set each target's floor
        // early, so the farther cells' users mostly fall below it without an offer. The kept sets do not depend on it.
        var order = Count <= 1024 ? stackalloc long[Count] : new long[Count];
        var touched = 0;
        for (var c = 0; c < Count; c++)
        {
            if (scanners[c] != 0)
            {
                order[touched++] = ((long)(64 - BitOperations.PopCount(scanners[c])) << 32) | (uint)c;
            }
        }

        order[..touched].Sort();
        Span<int> scanning = stackalloc int[block.Length];
        Span<float> scores = stackalloc float[block.Length];
        foreach (var entry in order[..touched])
        {
            var c = (int)(uint)entry;
            var m = 0;
            for (var mask = scanners[c]; mask != 0; mask &= mask - 1)
            {
                scanning[m++] = BitOperations.TrailingZeroCount(mask);
            }

            for (var i = _offsets[c]; i < _offsets[c + 1]; i++)
            {
                var candidate = _vectors.AsSpan(i * d, d);
                var k = 0;
                for (; k + 4 <= m; k += 4)
                {
                    (scores[k], scores[k + 1], scores[k + 2], scores[k + 3]) = VectorMath.Dot4(candidate, Of(block[scanning[k]]),
                        Of(block[scanning[k + 1]]), Of(block[scanning[k + 2]]), Of(block[scanning[k + 3]]));
                }

                for (; k < m; k++)
                {
                    scores[k] = VectorMath.Dot(Of(block[scanning[k]]), candidate);
                }

                var v = _users[i];
                for (k = 0; k < m; k++)
                {
                    var t = scanning[k];
                    var top = tops[t];
                    if (scores[k] >= top.Floor && v != block[t])
                    {
                        top.Add(scores[k], v);
                    }
                }
            }
        }
    }

    private int Nearest(ReadOnlySpan<float> vector)
    {
        var d = _dimensions;
        var best = 0;
        var bestScore = float.NegativeInfinity;
        for (var c = 0; c < Count; c++)
        {
            var score = VectorMath.Dot(vector, _centroids.AsSpan(c * d, d));
            if (score > bestScore)
            {
                bestScore = score;
                best = c;
            }
        }

        return best;
    }

    private static int[] Shuffled(int n, Random random)
    {
        var order = Enumerable.Range(0, n).ToArray();
        random.Shuffle(order);
        return order;
    }
}
