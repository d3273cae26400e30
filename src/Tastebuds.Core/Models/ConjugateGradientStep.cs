using System.Collections.Concurrent;

namespace Tastebuds.Core.Models;

/// <summary>
/// One half-iteration of iALS: for every row u (users, or items), a few CG steps from the current x_u towards the
/// solution of <c>(YᵀY + Yᵀ(C_u − I)Y + λI) x_u = Yᵀ C_u p_u</c>, the loop of <c>implicit</c>'s
/// <c>_least_squares_cg</c>. YᵀY + λI is computed once per half-iteration.
/// </summary>
internal sealed class ConjugateGradientStep(int k, float regularization, int steps, int maxDegreeOfParallelism)
{
    /// <summary>Entries whose rows are gathered, dotted and added in one go: 16 rows of 64 floats (4 KB) stay in L1.</summary>
    private const int Block = 16;

    public void Solve(float[] x, float[] y, int rows, int columns, int[] offsets, int[] indices, float[] confidence,
        CancellationToken cancellationToken)
    {
        var gram = Gram(y, columns, cancellationToken);
        var pool = new ConcurrentBag<float[]>();
        var options = Parallelism.Options(maxDegreeOfParallelism, cancellationToken);
        Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, rows, 256), options, range =>
        {
            var buffer = pool.TryTake(out var b) ? b : new float[(3 * k) + Block];
            for (var u = range.Item1; u < range.Item2; u++)
            {
                if (u + 1 < rows)
                {
                    PrefetchRows(y, indices, offsets[u + 1], Math.Min(offsets[u + 2], offsets[u + 1] + Block));
                }

                SolveRow(x.AsSpan(u * k, k), y, gram, offsets[u], offsets[u + 1], indices, confidence, buffer);
            }

            pool.Add(buffer);
        });
    }

    private void SolveRow(Span<float> xu, float[] y, float[] gram, int start, int end, int[] indices, float[] confidence, float[] buffer)
    {
        if (start == end)
        {
            // No interactions: p_u = 0 and C_u = I, so (YᵀY + λI) x_u = 0 and x_u = 0 exactly; CG would only approach it.
            // The tuning's carve empties every user outside its sample (and so leaves many items without a holder).
            xu.Clear();
            return;
        }

        var r = buffer.AsSpan(0, k);
        var p = buffer.AsSpan(k, k);
        var ap = buffer.AsSpan(2 * k, k);
        var coefficients = buffer.AsSpan(3 * k, Block);

        // r = Yᵀ C_u p_u − A x_u, with A = YᵀY + λI + Yᵀ(C_u − I)Y: r += (c_e − (c_e − 1)·⟨y_e, x_u⟩)·y_e per entry.
        VectorMath.MatVec(gram, xu, r);
        for (var d = 0; d < k; d++)
        {
            r[d] = -r[d];
        }

        AddRows(y, indices, confidence, start, end, xu, r, coefficients, residual: true);
        r.CopyTo(p);
        var rsOld = VectorMath.Dot(r, r);
        if (rsOld < 1e-20f)
        {
            return;
        }

        for (var step = 0; step < steps; step++)
        {
            // A·p = (YᵀY + λI)·p + Σ_e (c_e − 1)·⟨y_e, p⟩·y_e.
            VectorMath.MatVec(gram, p, ap);
            AddRows(y, indices, confidence, start, end, p, ap, coefficients, residual: false);
            var a = rsOld / VectorMath.Dot(p, ap);
            VectorMath.Axpy(a, p, xu);
            VectorMath.Axpy(-a, ap, r);
            var rsNew = VectorMath.Dot(r, r);
            if (rsNew < 1e-20f)
            {
                return;
            }

            var beta = rsNew / rsOld;
            for (var d = 0; d < k; d++)
            {
                p[d] = r[d] + (beta * p[d]);
            }

            rsOld = rsNew;
        }
    }

    /// <summary>
    /// <c>target += Σ_e coef_e·y_e</c> over the entries start..end, with <c>coef_e = (c_e − 1)·⟨y_e, v⟩</c>, or
    /// <c>c_e − (c_e − 1)·⟨y_e, v⟩</c> for the <paramref name="residual"/>. A block of entries at a time: their products
    /// with v four rows at a time (<see cref="VectorMath.Dot4"/>, independent chains instead of one long one), then their
    /// rows added into the target held in registers (<see cref="VectorMath.AddScaledRows"/>), where an axpy per entry
    /// stored and reloaded the whole target for every entry. Each element gets the same additions in the same order as
    /// <c>Axpy(coef_e, y_e, target)</c> entry after entry, and each product is <see cref="VectorMath.Dot"/>'s, so the
    /// factors are the same bit for bit.
    /// </summary>
    private void AddRows(float[] y, int[] indices, float[] confidence, int start, int end, ReadOnlySpan<float> v, Span<float> target,
        Span<float> coefficients, bool residual)
    {
        for (var block = start; block < end; block += Block)
        {
            var count = Math.Min(Block, end - block);
            if (residual)
            {
                // The row's first pass reads its entries' rows from memory (the later passes find them in the cache):
                // the next block's are asked for while this one is worked on.
                PrefetchRows(y, indices, block + Block, Math.Min(end, block + (2 * Block)));
            }

            var n = 0;
            for (; n + 4 <= count; n += 4)
            {
                var e = block + n;
                var (d0, d1, d2, d3) = VectorMath.Dot4(v, y.AsSpan(indices[e] * k, k), y.AsSpan(indices[e + 1] * k, k),
                    y.AsSpan(indices[e + 2] * k, k), y.AsSpan(indices[e + 3] * k, k));
                coefficients[n] = Coefficient(confidence[e], d0, residual);
                coefficients[n + 1] = Coefficient(confidence[e + 1], d1, residual);
                coefficients[n + 2] = Coefficient(confidence[e + 2], d2, residual);
                coefficients[n + 3] = Coefficient(confidence[e + 3], d3, residual);
            }

            for (; n < count; n++)
            {
                var e = block + n;
                coefficients[n] = Coefficient(confidence[e], VectorMath.Dot(y.AsSpan(indices[e] * k, k), v), residual);
            }

            VectorMath.AddScaledRows(y, indices.AsSpan(block, count), coefficients[..count], target);
        }
    }

    /// <summary>Asks the CPU for the rows of y that the entries [from, to) name.</summary>
    private void PrefetchRows(float[] y, int[] indices, int from, int to)
    {
        for (var e = from; e < to; e++)
        {
            Prefetch.Row(y, indices[e], k);
        }
    }

    private static float Coefficient(float c, float dot, bool residual) => residual ? c - ((c - 1) * dot) : (c - 1) * dot;

    /// <summary>
    /// YᵀY + λI, row-major k×k: blocks of rows summed in parallel, then the blocks' sums added in block order, so the
    /// result does not depend on which thread finished first (it did when each thread added its sum under a lock).
    /// </summary>
    private float[] Gram(float[] y, int rows, CancellationToken cancellationToken)
    {
        const int rowsPerBlock = 4096;
        var blocks = new float[(rows + rowsPerBlock - 1) / rowsPerBlock][];
        Parallel.For(0, blocks.Length, Parallelism.Options(maxDegreeOfParallelism, cancellationToken), b =>
        {
            var local = new float[k * k];
            for (var i = b * rowsPerBlock; i < Math.Min(rows, (b + 1) * rowsPerBlock); i++)
            {
                var yi = y.AsSpan(i * k, k);
                for (var a = 0; a < k; a++)
                {
                    if (yi[a] != 0)
                    {
                        VectorMath.Axpy(yi[a], yi, local.AsSpan(a * k, k));
                    }
                }
            }

            blocks[b] = local;
        });

        var total = new float[k * k];
        foreach (var local in blocks)
        {
            for (var n = 0; n < total.Length; n++)
            {
                total[n] += local[n];
            }
        }

        for (var d = 0; d < k; d++)
        {
            total[(d * k) + d] += regularization;
        }

        return total;
    }
}
