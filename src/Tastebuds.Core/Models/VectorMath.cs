using System.Numerics;
using System.Runtime.InteropServices;

namespace Tastebuds.Core.Models;

/// <summary>SIMD dot product and axpy over float spans (the factor arithmetic of ALS).</summary>
internal static class VectorMath
{
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        var sum = Vector<float>.Zero;
        var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
        var vy = MemoryMarshal.Cast<float, Vector<float>>(y);
        for (var i = 0; i < vx.Length; i++)
        {
            sum += vx[i] * vy[i];
        }

        var result = Vector.Sum(sum);
        for (var i = vx.Length * Vector<float>.Count; i < x.Length; i++)
        {
            result += x[i] * y[i];
        }

        return result;
    }

    /// <summary>
    /// ⟨a0, x⟩ … ⟨a3, x⟩ with each chunk of x loaded once for the four products; each product the same additions in the
    /// same order as <see cref="Dot"/> alone (the embedding search scores a candidate against four targets at a time).
    /// </summary>
    public static (float, float, float, float) Dot4(ReadOnlySpan<float> x, ReadOnlySpan<float> a0, ReadOnlySpan<float> a1,
        ReadOnlySpan<float> a2, ReadOnlySpan<float> a3)
    {
        var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
        var v0 = MemoryMarshal.Cast<float, Vector<float>>(a0);
        var v1 = MemoryMarshal.Cast<float, Vector<float>>(a1);
        var v2 = MemoryMarshal.Cast<float, Vector<float>>(a2);
        var v3 = MemoryMarshal.Cast<float, Vector<float>>(a3);
        Vector<float> s0 = default, s1 = default, s2 = default, s3 = default;
        for (var i = 0; i < vx.Length; i++)
        {
            var c = vx[i];
            s0 += v0[i] * c;
            s1 += v1[i] * c;
            s2 += v2[i] * c;
            s3 += v3[i] * c;
        }

        var (r0, r1, r2, r3) = (Vector.Sum(s0), Vector.Sum(s1), Vector.Sum(s2), Vector.Sum(s3));
        for (var i = vx.Length * Vector<float>.Count; i < x.Length; i++)
        {
            r0 += a0[i] * x[i];
            r1 += a1[i] * x[i];
            r2 += a2[i] * x[i];
            r3 += a3[i] * x[i];
        }

        return (r0, r1, r2, r3);
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

    /// <summary>y += a·x, in double (the embedding's build: Similarity/UnitRows, UserEmbedding).</summary>
    public static void Axpy(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        var va = new Vector<double>(a);
        var vx = MemoryMarshal.Cast<double, Vector<double>>(x);
        var vy = MemoryMarshal.Cast<double, Vector<double>>(y);
        for (var i = 0; i < vx.Length; i++)
        {
            vy[i] += va * vx[i];
        }

        for (var i = vx.Length * Vector<double>.Count; i < x.Length; i++)
        {
            y[i] += a * x[i];
        }
    }

    /// <summary>y = A·x for a row-major k×k matrix A.</summary>
    public static void MatVec(ReadOnlySpan<float> a, ReadOnlySpan<float> x, Span<float> y)
    {
        var k = x.Length;
        for (var r = 0; r < k; r++)
        {
            y[r] = Dot(a.Slice(r * k, k), x);
        }
    }
}
