namespace Tastebuds.Core.Models;

/// <summary>Cholesky factorisation and solve for a small symmetric positive-definite A (row-major n×n).</summary>
internal static class Cholesky
{
    /// <summary>The lower-triangular L with A = L·Lᵀ.</summary>
    public static double[] Factor(double[] a, int n)
    {
        var l = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var sum = a[(i * n) + j];
                for (var p = 0; p < j; p++)
                {
                    sum -= l[(i * n) + p] * l[(j * n) + p];
                }

                if (i == j)
                {
                    if (sum <= 0)
                    {
                        throw new InvalidOperationException("The matrix is not positive definite.");
                    }

                    l[(i * n) + i] = Math.Sqrt(sum);
                }
                else
                {
                    l[(i * n) + j] = sum / l[(j * n) + j];
                }
            }
        }

        return l;
    }

    /// <summary>x with L·Lᵀ·x = b, for L from <see cref="Factor"/>.</summary>
    public static double[] Solve(double[] l, int n, ReadOnlySpan<float> b)
    {
        var z = new double[n];
        for (var i = 0; i < n; i++)
        {
            var sum = (double)b[i];
            for (var p = 0; p < i; p++)
            {
                sum -= l[(i * n) + p] * z[p];
            }

            z[i] = sum / l[(i * n) + i];
        }

        var x = new double[n];
        for (var i = n - 1; i >= 0; i--)
        {
            var sum = z[i];
            for (var p = i + 1; p < n; p++)
            {
                sum -= l[(p * n) + i] * x[p];
            }

            x[i] = sum / l[(i * n) + i];
        }

        return x;
    }

    /// <summary>z with L·z = b (forward substitution), each step one SIMD dot over a row prefix of L.</summary>
    public static void Forward(double[] l, int n, ReadOnlySpan<double> b, Span<double> z)
    {
        for (var i = 0; i < n; i++)
        {
            z[i] = (b[i] - Dot(l.AsSpan(i * n, i), z[..i])) / l[(i * n) + i];
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
