using System.Diagnostics;
using Tastebuds.Core.Models;

namespace Tastebuds.Core.Similarity;

/// <summary>
/// A rank-d embedding E (users × d, float) with E·Eᵀ ≈ Ũ·Ũᵀ (<see cref="UnitRows"/>): ⟨e_u, e_v⟩ approximates the
/// combined cosine (or, binary, the count-based cosine) of every pair. Randomized range finder: Y = Ũ·Ω with a seeded
/// Gaussian Ω (items × (d + oversampling)), q power iterations Y = Ũ·(Ũᵀ·Y), each Y orthonormalised into Q by
/// Cholesky-QR (twice); then G = M·Mᵀ with M = Qᵀ·Ũ, G = V·Λ·Vᵀ (Jacobi), E = Q·V_d·Λ_d^½ (the d largest).
/// </summary>
public sealed class UserEmbedding
{
    private const int GramChunk = 4096;
    private readonly float[] _vectors;

    private UserEmbedding(float[] vectors, int users, int dimensions, TimeSpan elapsed)
    {
        _vectors = vectors;
        Users = users;
        Dimensions = dimensions;
        Elapsed = elapsed;
    }

    public int Users { get; }

    public int Dimensions { get; }

    public TimeSpan Elapsed { get; }

    public ReadOnlySpan<float> Of(int user) => _vectors.AsSpan(user * Dimensions, Dimensions);

    /// <summary>The <paramref name="count"/> other users of largest ⟨e_u, e_v⟩, best first (ties to the lower index), by brute force.</summary>
    public int[] Nearest(int user, int count)
    {
        var target = Of(user);
        var heap = new PriorityQueue<int, (float Score, int User)>(count + 1, WorstFirst.Instance);
        for (var v = 0; v < Users; v++)
        {
            if (v == user)
            {
                continue;
            }

            var score = VectorMath.Dot(target, Of(v));
            if (heap.Count < count)
            {
                heap.Enqueue(v, (score, v));
            }
            else if (heap.TryPeek(out _, out var worst) && (score > worst.Score || (score == worst.Score && v < worst.User)))
            {
                heap.EnqueueDequeue(v, (score, v));
            }
        }

        var found = new int[heap.Count];
        for (var i = found.Length - 1; i >= 0; i--)
        {
            found[i] = heap.Dequeue();
        }

        return found;
    }

    /// <summary>
    /// For each user of <paramref name="block"/>, its <paramref name="count"/> other users of largest ⟨e_u, e_v⟩ offered into
    /// <paramref name="tops"/> (reset here): one pass over every user's vector serves the whole block, and a score below
    /// the floor of a target's set is dropped without an offer.
    /// </summary>
    internal void Nearest(ReadOnlySpan<int> block, int count, TopCandidates[] tops)
    {
        for (var i = 0; i < block.Length; i++)
        {
            tops[i].Reset(count);
        }

        Span<float> scores = stackalloc float[block.Length];
        var d = Dimensions;
        var vectors = _vectors;
        for (var v = 0; v < Users; v++)
        {
            var candidate = vectors.AsSpan(v * d, d);
            var i = 0;
            // Four targets at a time: each chunk of the candidate's vector is loaded once for four products, each the same
            // additions in the same order as one alone (a target's scores do not depend on its place in the block).
            for (; i + 4 <= block.Length; i += 4)
            {
                (scores[i], scores[i + 1], scores[i + 2], scores[i + 3]) = VectorMath.Dot4(candidate, vectors.AsSpan(block[i] * d, d),
                    vectors.AsSpan(block[i + 1] * d, d), vectors.AsSpan(block[i + 2] * d, d), vectors.AsSpan(block[i + 3] * d, d));
            }

            for (; i < block.Length; i++)
            {
                scores[i] = VectorMath.Dot(vectors.AsSpan(block[i] * d, d), candidate);
            }

            for (i = 0; i < block.Length; i++)
            {
                if (scores[i] >= tops[i].Floor && block[i] != v)
                {
                    tops[i].Add(scores[i], v);
                }
            }
        }
    }

    private sealed class WorstFirst : IComparer<(float Score, int User)>
    {
        public static readonly WorstFirst Instance = new();

        public int Compare((float Score, int User) x, (float Score, int User) y) =>
            x.Score != y.Score ? x.Score.CompareTo(y.Score) : y.User.CompareTo(x.User);
    }

    public static UserEmbedding Build(InteractionMatrix matrix, SimilarityOptions options, int dimensions, bool binary,
        int oversampling = 16, int powerIterations = 1, int seed = 17, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        var parallel = Parallelism.Options(options.MaxDegreeOfParallelism, cancellationToken);
        var rows = new UnitRows(InteractionMatrix.Kinds.Select(matrix.Slice).ToArray(), options, binary);
        var n = rows.Users;
        var width = Math.Min(dimensions + oversampling, Math.Min(n, rows.Columns));
        var d = Math.Min(dimensions, width);
        var z = new float[rows.Columns * width];
        Gaussian(z, seed, parallel);
        var y = new float[n * width];
        rows.Times(z, y, width, parallel);
        Orthonormalise(y, n, width, parallel);
        for (var q = 0; q < powerIterations; q++)
        {
            rows.TransposeTimes(y, z, width, parallel);
            rows.Times(z, y, width, parallel);
            Orthonormalise(y, n, width, parallel);
        }

        rows.TransposeTimes(y, z, width, parallel);
        var (values, vectors) = SymmetricEigen.Of(Gram(z, rows.Columns, width, parallel), width);
        // E = Q · V_d · Λ_d^½: the columns of V scaled once, then one small product per user.
        var basis = new double[width * d];
        for (var i = 0; i < width; i++)
        {
            for (var j = 0; j < d; j++)
            {
                basis[(i * d) + j] = vectors[(i * width) + j] * Math.Sqrt(Math.Max(values[j], 0.0));
            }
        }

        var embedded = new float[n * d];
        Parallel.For(0, n, parallel, u =>
        {
            Span<double> sum = stackalloc double[d];
            sum.Clear();
            for (var i = 0; i < width; i++)
            {
                VectorMath.Axpy(y[(u * width) + i], basis.AsSpan(i * d, d), sum);
            }

            for (var j = 0; j < d; j++)
            {
                embedded[(u * d) + j] = (float)sum[j];
            }
        });
        return new UserEmbedding(embedded, n, d, clock.Elapsed);
    }

    /// <summary>
    /// Seeded standard normals (Box–Muller), the same Ω on every run: the uniforms drawn in order, a chunk at a time (the
    /// generator is sequential and cheap), and each pair's logarithm, square root, cosine and sine, most of the cost
    /// (1.3 s of one core for the 39 M values at 100,000 users), computed in parallel: each value is what the sequential
    /// loop gives, bit for bit.
    /// </summary>
    private static void Gaussian(float[] into, int seed, ParallelOptions parallel)
    {
        const int Chunk = 1 << 20;
        const int Slice = 1 << 14;
        var random = new Random(seed);
        var uniforms = new double[Chunk];
        for (var start = 0; start < into.Length; start += Chunk)
        {
            // Two uniforms a pair of values (the radius's, then the angle's), also for a last value without a partner.
            var count = Math.Min(Chunk, into.Length - start);
            var draws = (count + 1) / 2 * 2;
            for (var i = 0; i < draws; i++)
            {
                uniforms[i] = random.NextDouble();
            }

            var first = start;
            Parallel.For(0, (draws + Slice - 1) / Slice, parallel, s =>
            {
                for (var i = s * Slice; i < Math.Min(draws, (s + 1) * Slice); i += 2)
                {
                    var r = Math.Sqrt(-2.0 * Math.Log(1.0 - uniforms[i]));
                    var angle = 2.0 * Math.PI * uniforms[i + 1];
                    into[first + i] = (float)(r * Math.Cos(angle));
                    if (i + 1 < count)
                    {
                        into[first + i + 1] = (float)(r * Math.Sin(angle));
                    }
                }
            });
        }
    }

    /// <summary>
    /// AᵀA of the row-major rows × width A: per chunk of rows a partial sum of the upper triangle (each element gets the
    /// same products in the same order as the whole square would, so the same bits), the partials added in chunk order,
    /// then mirrored: half the multiply-adds.
    /// </summary>
    private static double[] Gram(float[] a, int rowCount, int width, ParallelOptions parallel)
    {
        var chunks = (rowCount + GramChunk - 1) / GramChunk;
        var partials = new double[chunks][];
        Parallel.For(0, chunks, parallel, c =>
        {
            var g = new double[width * width];
            var row = new double[width];
            for (var r = c * GramChunk; r < Math.Min(rowCount, (c + 1) * GramChunk); r++)
            {
                for (var j = 0; j < width; j++)
                {
                    row[j] = a[(r * width) + j];
                }

                for (var i = 0; i < width; i++)
                {
                    if (row[i] != 0)
                    {
                        VectorMath.Axpy(row[i], row.AsSpan(i), g.AsSpan((i * width) + i, width - i));
                    }
                }
            }

            partials[c] = g;
        });
        var gram = new double[width * width];
        foreach (var g in partials)
        {
            for (var i = 0; i < width; i++)
            {
                for (var j = i; j < width; j++)
                {
                    gram[(i * width) + j] += g[(i * width) + j];
                }
            }
        }

        for (var i = 0; i < width; i++)
        {
            for (var j = 0; j < i; j++)
            {
                gram[(i * width) + j] = gram[(j * width) + i];
            }
        }

        return gram;
    }

    /// <summary>Cholesky-QR, twice: Y = Q·Lᵀ with L·Lᵀ = YᵀY, each row of Y replaced by L⁻¹ times it.</summary>
    private static void Orthonormalise(float[] y, int n, int width, ParallelOptions parallel)
    {
        for (var pass = 0; pass < 2; pass++)
        {
            var g = Gram(y, n, width, parallel);
            var trace = 0.0;
            for (var i = 0; i < width; i++)
            {
                trace += g[(i * width) + i];
            }

            // A tiny ridge keeps a rank-deficient block (fewer independent rows than columns) factorable.
            for (var i = 0; i < width; i++)
            {
                g[(i * width) + i] += 1e-12 * trace / width;
            }

            var transposed = new double[width * width];
            Cholesky.FactorInPlace(g, transposed, width);
            Parallel.For(0, n, parallel, u =>
            {
                Span<double> row = stackalloc double[width];
                for (var i = 0; i < width; i++)
                {
                    row[i] = (y[(u * width) + i] - Cholesky.Dot(g.AsSpan(i * width, i), row[..i])) / g[(i * width) + i];
                }

                for (var i = 0; i < width; i++)
                {
                    y[(u * width) + i] = (float)row[i];
                }
            });
        }
    }
}
