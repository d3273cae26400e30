using System.Numerics;
using System.Runtime.InteropServices;

namespace Tastebuds.Core.Models;

/// <summary>SIMD dot product and axpy over float spans (the factor arithmetic of ALS).</summary>
internal static class VectorMath
{
    /// <summary>
    /// x·y with four independent accumulators: at 64 factors one accumulator made a chain of 8 dependent multiply-adds,
    /// and the dot per interaction is most of iALS's conjugate-gradient step.
    /// </summary>
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
        var vy = MemoryMarshal.Cast<float, Vector<float>>(y[..x.Length]);
        Vector<float> s0 = Vector<float>.Zero, s1 = Vector<float>.Zero, s2 = Vector<float>.Zero, s3 = Vector<float>.Zero;
        var i = 0;
        for (; i + 3 < vx.Length; i += 4)
        {
            s0 += vx[i] * vy[i];
            s1 += vx[i + 1] * vy[i + 1];
            s2 += vx[i + 2] * vy[i + 2];
            s3 += vx[i + 3] * vy[i + 3];
        }

        for (; i < vx.Length; i++)
        {
            s0 += vx[i] * vy[i];
        }

        var result = Vector.Sum((s0 + s1) + (s2 + s3));
        for (var n = vx.Length * Vector<float>.Count; n < x.Length; n++)
        {
            result += x[n] * y[n];
        }

        return result;
    }

    /// <summary>y += a·x.</summary>
    public static void Axpy(float a, ReadOnlySpan<float> x, Span<float> y)
    {
        var va = new Vector<float>(a);
        var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
        var vy = MemoryMarshal.Cast<float, Vector<float>>(y);
        for (var i = 0; i < vx.Length; i++)
        {
            vy[i] += va * vx[i];
        }

        for (var i = vx.Length * Vector<float>.Count; i < x.Length; i++)
        {
            y[i] += a * x[i];
        }
    }

    /// <summary>
    /// y = A·x for a symmetric k×k matrix A (row-major): y = Σ_r x_r·A[r,·], one axpy per row, with no horizontal
    /// sum per element as a dot per row needs.
    /// </summary>
    public static void SymmetricMatVec(ReadOnlySpan<float> a, ReadOnlySpan<float> x, Span<float> y)
    {
        var k = x.Length;
        y[..k].Clear();
        for (var r = 0; r < k; r++)
        {
            if (x[r] != 0)
            {
                Axpy(x[r], a.Slice(r * k, k), y);
            }
        }
    }
}
