using System.Collections.Concurrent;

namespace Tastebuds.Core.Models;

/// <summary>
/// One half-iteration of iALS: for every row u (users, or items), a few CG steps from the current x_u towards the
/// solution of <c>(YᵀY + Yᵀ(C_u − I)Y + λI) x_u = Yᵀ C_u p_u</c>, the loop of <c>implicit</c>'s
/// <c>_least_squares_cg</c>. YᵀY + λI is computed once per half-iteration.
/// </summary>
internal sealed class ConjugateGradientStep(int k, float regularization, int steps, int maxDegreeOfParallelism)
{
    public void Solve(float[] x, float[] y, int rows, int columns, int[] offsets, int[] indices, float[] confidence,
        CancellationToken cancellationToken)
    {
        var gram = Gram(y, columns, cancellationToken);
        var pool = new ConcurrentBag<float[]>();
        var options = Parallelism.Options(maxDegreeOfParallelism, cancellationToken);
        Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, rows, 256), options, range =>
        {
            var buffer = pool.TryTake(out var b) ? b : new float[3 * k];
            for (var u = range.Item1; u < range.Item2; u++)
            {
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

        // r = Yᵀ C_u p_u − A x_u, with A = YᵀY + λI + Yᵀ(C_u − I)Y.
        VectorMath.MatVec(gram, xu, r);
        for (var d = 0; d < k; d++)
        {
            r[d] = -r[d];
        }

        for (var e = start; e < end; e++)
        {
            var yi = y.AsSpan(indices[e] * k, k);
            var c = confidence[e];
            VectorMath.Axpy(c - ((c - 1) * VectorMath.Dot(yi, xu)), yi, r);
        }

        r.CopyTo(p);
        var rsOld = VectorMath.Dot(r, r);
        if (rsOld < 1e-20f)
        {
            return;
        }

        for (var step = 0; step < steps; step++)
        {
            VectorMath.MatVec(gram, p, ap);
            for (var e = start; e < end; e++)
            {
                var yi = y.AsSpan(indices[e] * k, k);
                VectorMath.Axpy((confidence[e] - 1) * VectorMath.Dot(yi, p), yi, ap);
            }

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
