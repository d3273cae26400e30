namespace Tastebuds.Core.Similarity;

/// <summary>
/// Eigenvalues and eigenvectors of a small symmetric matrix by cyclic Jacobi rotations (the l×l Gram matrix of a
/// <see cref="UserEmbedding"/>, l ≤ a few hundred): deterministic, no external solver.
/// </summary>
internal static class SymmetricEigen
{
    private const int MaxSweeps = 60;

    /// <summary>
    /// The eigenpairs of the row-major <paramref name="size"/>×<paramref name="size"/> symmetric <paramref name="matrix"/>
    /// (not modified), eigenvalues descending; eigenvector j is column j of the returned row-major matrix.
    /// </summary>
    public static (double[] Values, double[] Vectors) Of(double[] matrix, int size)
    {
        var a = (double[])matrix.Clone();
        var v = new double[size * size];
        for (var i = 0; i < size; i++)
        {
            v[(i * size) + i] = 1.0;
        }

        for (var sweep = 0; sweep < MaxSweeps; sweep++)
        {
            var off = 0.0;
            var diagonal = 0.0;
            for (var p = 0; p < size; p++)
            {
                diagonal += a[(p * size) + p] * a[(p * size) + p];
                for (var q = p + 1; q < size; q++)
                {
                    off += a[(p * size) + q] * a[(p * size) + q];
                }
            }

            if (off <= 1e-30 * diagonal)
            {
                break;
            }

            for (var p = 0; p < size - 1; p++)
            {
                for (var q = p + 1; q < size; q++)
                {
                    Rotate(a, v, size, p, q);
                }
            }
        }

        var order = Enumerable.Range(0, size).OrderByDescending(i => a[(i * size) + i]).ThenBy(i => i).ToArray();
        var values = order.Select(i => a[(i * size) + i]).ToArray();
        var vectors = new double[size * size];
        for (var r = 0; r < size; r++)
        {
            for (var j = 0; j < size; j++)
            {
                vectors[(r * size) + j] = v[(r * size) + order[j]];
            }
        }

        return (values, vectors);
    }

    /// <summary>One Jacobi rotation zeroing a[p, q] (both triangles kept), accumulated into the eigenvectors' columns.</summary>
    private static void Rotate(double[] a, double[] v, int n, int p, int q)
    {
        var apq = a[(p * n) + q];
        if (apq == 0.0)
        {
            return;
        }

        var app = a[(p * n) + p];
        var aqq = a[(q * n) + q];
        var theta = (aqq - app) / (2.0 * apq);
        var t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt((theta * theta) + 1.0));
        if (theta == 0.0)
        {
            t = 1.0;
        }

        var c = 1.0 / Math.Sqrt((t * t) + 1.0);
        var s = t * c;
        for (var k = 0; k < n; k++)
        {
            var akp = a[(k * n) + p];
            var akq = a[(k * n) + q];
            a[(k * n) + p] = (c * akp) - (s * akq);
            a[(k * n) + q] = (s * akp) + (c * akq);
        }

        for (var k = 0; k < n; k++)
        {
            var apk = a[(p * n) + k];
            var aqk = a[(q * n) + k];
            a[(p * n) + k] = (c * apk) - (s * aqk);
            a[(q * n) + k] = (s * apk) + (c * aqk);
        }

        for (var k = 0; k < n; k++)
        {
            var vkp = v[(k * n) + p];
            var vkq = v[(k * n) + q];
            v[(k * n) + p] = (c * vkp) - (s * vkq);
            v[(k * n) + q] = (s * vkp) + (c * vkq);
        }
    }
}
