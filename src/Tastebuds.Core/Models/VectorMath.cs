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

    /// <summary>
    /// <c>target += Σ_n coefficients[n]·row(indices[n])</c>, the rows being <c>rows[i·k .. i·k + k)</c> with k the target's
    /// length: the target is held in registers four vectors at a time while every row is added, where an
    /// <see cref="Axpy(float, ReadOnlySpan{float}, Span{float})"/> per row loads and stores it each time. Each element gets
    /// the same additions in the same order as those axpys, row after row, so the result is the same bit for bit.
    /// </summary>
    public static void AddScaledRows(float[] rows, ReadOnlySpan<int> indices, ReadOnlySpan<float> coefficients, Span<float> target)
    {
        var k = target.Length;
        var vt = MemoryMarshal.Cast<float, Vector<float>>(target);
        var width = Vector<float>.Count;
        var v = 0;
        for (; v + 4 <= vt.Length; v += 4)
        {
            var (t0, t1, t2, t3) = (vt[v], vt[v + 1], vt[v + 2], vt[v + 3]);
            for (var n = 0; n < indices.Length; n++)
            {
                var c = new Vector<float>(coefficients[n]);
                var row = MemoryMarshal.Cast<float, Vector<float>>(rows.AsSpan((indices[n] * k) + (v * width), 4 * width));
                t0 += c * row[0];
                t1 += c * row[1];
                t2 += c * row[2];
                t3 += c * row[3];
            }

            (vt[v], vt[v + 1], vt[v + 2], vt[v + 3]) = (t0, t1, t2, t3);
        }

        for (; v < vt.Length; v++)
        {
            var t = vt[v];
            for (var n = 0; n < indices.Length; n++)
            {
                t += new Vector<float>(coefficients[n]) * MemoryMarshal.Cast<float, Vector<float>>(rows.AsSpan((indices[n] * k) + (v * width), width))[0];
            }

            vt[v] = t;
        }

        for (var d = vt.Length * width; d < k; d++)
        {
            var t = target[d];
            for (var n = 0; n < indices.Length; n++)
            {
                t += coefficients[n] * rows[(indices[n] * k) + d];
            }

            target[d] = t;
        }
    }

    /// <summary>
    /// y = A·x for a row-major k×k matrix A: four rows at a time through <see cref="Dot4"/> (x loaded once for the four,
    /// four independent chains), each element the same as <see cref="Dot"/> of its row.
    /// </summary>
    public static void MatVec(ReadOnlySpan<float> a, ReadOnlySpan<float> x, Span<float> y)
    {
        var k = x.Length;
        var r = 0;
        for (; r + 4 <= k; r += 4)
        {
            (y[r], y[r + 1], y[r + 2], y[r + 3]) = Dot4(x, a.Slice(r * k, k), a.Slice((r + 1) * k, k), a.Slice((r + 2) * k, k),
                a.Slice((r + 3) * k, k));
        }

        for (; r < k; r++)
        {
            y[r] = Dot(a.Slice(r * k, k), x);
        }
    }
}
