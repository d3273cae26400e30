using Tastebuds.Core.Models;

namespace Tastebuds.Tests.Core;

/// <summary>The batched forms iALS's conjugate gradient uses give the plain loops' results bit for bit.</summary>
public class VectorMathTests
{
    private static float[] Random(int length, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() * 2) - 1))];
    }

    // 64 (the default factors: two groups of four vectors), 40 (a group and a single vector), 8, 3 (scalars only), 21 (all three).
    [TestCase(64)]
    [TestCase(40)]
    [TestCase(8)]
    [TestCase(3)]
    [TestCase(21)]
    public void Adding_scaled_rows_equals_an_axpy_per_row_in_order_bit_for_bit(int k)
    {
        var rows = Random(50 * k, 1);
        int[] indices = [7, 3, 49, 0, 7, 12, 33, 21, 5, 18, 44];
        var coefficients = Random(indices.Length, 2);
        var expected = Random(k, 3);
        var actual = (float[])expected.Clone();

        foreach (var (index, coefficient) in indices.Zip(coefficients))
        {
            VectorMath.Axpy(coefficient, rows.AsSpan(index * k, k), expected);
        }

        VectorMath.AddScaledRows(rows, indices, coefficients, actual);
        Assert.That(actual, Is.EqualTo(expected).AsCollection);
    }

    [TestCase(64)]
    [TestCase(21)]
    [TestCase(3)]
    public void A_matrix_vector_product_equals_each_rows_dot_product_bit_for_bit(int k)
    {
        var a = Random(k * k, 4);
        var x = Random(k, 5);
        var actual = new float[k];
        VectorMath.MatVec(a, x, actual);
        var expected = Enumerable.Range(0, k).Select(r => VectorMath.Dot(a.AsSpan(r * k, k), x)).ToArray();
        Assert.That(actual, Is.EqualTo(expected).AsCollection);
    }
}
