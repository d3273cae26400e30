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
