namespace Tastebuds.Core.Models;

/// <summary>Cholesky factorisation and solve for a small symmetric positive-definite A (row-major n×n).</summary>
internal static class Cholesky
{
    /// <summary>
    /// A's lower triangle overwritten by L with A = L·Lᵀ (the upper triangle is not read and is left as it was), and
    /// Lᵀ's upper triangle written into <paramref name="transposed"/> for the back substitution: each step one SIMD dot
    /// over row prefixes.
    /// </summary>
    public static void FactorInPlace(Span<double> a, Span<double> transposed, int n)
    {
        for (var i = 0; i < n; i++)
        {
            var row = a.Slice(i * n, n);
            for (var j = 0; j <= i; j++)
            {
                var sum = row[j] - Dot(row[..j], a.Slice(j * n, j));
                if (i == j)
                {
                    if (!(sum > 0))
                    {
                        throw new InvalidOperationException("The matrix is not positive definite.");
                    }

                    row[i] = Math.Sqrt(sum);
                }
                else
                {
                    row[j] = sum / a[(j * n) + j];
                }

                transposed[(j * n) + i] = row[j];
            }
        }
    }

    /// <summary>x with L·Lᵀ·x = b, from <see cref="FactorInPlace"/>'s L and Lᵀ; <paramref name="z"/> is scratch.</summary>
    public static void Solve(ReadOnlySpan<double> l, ReadOnlySpan<double> transposed, int n, ReadOnlySpan<double> b, Span<double> z, Span<double> x)
    {
        for (var i = 0; i < n; i++)
        {
            z[i] = (b[i] - Dot(l.Slice(i * n, i), z[..i])) / l[(i * n) + i];
        }

        for (var i = n - 1; i >= 0; i--)
        {
            x[i] = (z[i] - Dot(transposed.Slice((i * n) + i + 1, n - i - 1), x.Slice(i + 1, n - i - 1))) / transposed[(i * n) + i];
        }
    }

    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var vx = System.Runtime.InteropServices.MemoryMarshal.Cast<double, System.Numerics.Vector<double>>(x);
        var vy = System.Runtime.InteropServices.MemoryMarshal.Cast<double, System.Numerics.Vector<double>>(y);
        var sum = System.Numerics.Vector<double>.Zero;
        for (var i = 0; i < vx.Length; i++)
        {
            sum += vx[i] * vy[i];
        }

        var result = System.Numerics.Vector.Sum(sum);
        for (var i = vx.Length * System.Numerics.Vector<double>.Count; i < x.Length; i++)
        {
            result += x[i] * y[i];
        }

        return result;
    }
}
