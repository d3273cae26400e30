using Tastebuds.Core.Models;

namespace Tastebuds.Core.Similarity;

/// <summary>
/// The matrix Ũ (users × the items of every kind side by side) whose rows give the combined cosine as an inner product:
/// ũ_u = concat over kinds k of sqrt(α_k / Σα_u) · w_uk / ‖w_uk‖, Σα_u over the kinds u holds anything of, so that
/// ⟨ũ_u, ũ_v⟩ = Σ_k α_k cos_k(u, v) / Σα when both hold every kind. With <c>binary</c> each weight is 1 (the norm is then
/// sqrt(count)): the item-counting shape of Jaccard. Never materialised: products with dense blocks read the matrix's rows
/// and its inverted index, each output row written by one thread in a fixed order (the same bits on every run); the
/// dense blocks are floats (at 100,000 users and d + 16 = 144 the items' block is 156 MB, not 311).
/// </summary>
internal sealed class UnitRows
{
    private const int Chunk = 256;
    private readonly KindSlice[] _slices;
    private readonly double[][] _scale;
    private readonly int[] _columnOffsets;
    private readonly bool _binary;

    public UnitRows(KindSlice[] slices, SimilarityOptions options, bool binary)
    {
        _slices = slices;
        _binary = binary;
        Users = slices[0].UserOffsets.Length - 1;
        _columnOffsets = new int[slices.Length + 1];
        for (var k = 0; k < slices.Length; k++)
        {
            _columnOffsets[k + 1] = _columnOffsets[k] + slices[k].ItemIds.Length;
        }

        Columns = _columnOffsets[^1];
        _scale = slices.Select(_ => new double[Users]).ToArray();
        for (var u = 0; u < Users; u++)
        {
            var alphaSum = 0.0;
            for (var k = 0; k < slices.Length; k++)
            {
                alphaSum += slices[k].Count(u) > 0 ? options.KindWeight((ItemKind)k) : 0.0;
            }

            for (var k = 0; k < slices.Length; k++)
            {
                var norm = binary ? Math.Sqrt(slices[k].Count(u)) : slices[k].Norms[u];
                _scale[k][u] = norm > 0 && alphaSum > 0 ? Math.Sqrt(options.KindWeight((ItemKind)k) / alphaSum) / norm : 0.0;
            }
        }
    }

    /// <summary>Entries ahead whose rows are asked for while this one's is added: each is a random row of 576 bytes.</summary>
    private const int Ahead = 4;

    public int Users { get; }

    public int Columns { get; }

    /// <summary>Y = Ũ·Z for Z (Columns × width) and Y (Users × width), row-major.</summary>
    public void Times(float[] z, float[] y, int width, ParallelOptions parallel)
    {
        Parallel.For(0, (Users + Chunk - 1) / Chunk, parallel, c =>
        {
            for (var u = c * Chunk; u < Math.Min(Users, (c + 1) * Chunk); u++)
            {
                var row = y.AsSpan(u * width, width);
                row.Clear();
                for (var k = 0; k < _slices.Length; k++)
                {
                    var s = _slices[k];
                    var scale = _scale[k][u];
                    if (scale == 0)
                    {
                        continue;
                    }

                    var end = s.UserOffsets[u + 1];
                    for (var e = s.UserOffsets[u]; e < end; e++)
                    {
                        if (e + Ahead < end)
                        {
                            Prefetch.Row(z, _columnOffsets[k] + s.Items[e + Ahead], width);
                        }

                        var value = (float)((_binary ? 1.0 : s.Weights[e]) * scale);
                        VectorMath.Axpy(value, z.AsSpan((_columnOffsets[k] + s.Items[e]) * width, width), row);
                    }
                }
            }
        });
    }

    /// <summary>Z = Ũᵀ·Y for Y (Users × width) and Z (Columns × width), row-major.</summary>
    public void TransposeTimes(float[] y, float[] z, int width, ParallelOptions parallel)
    {
        Parallel.For(0, (Columns + Chunk - 1) / Chunk, parallel, c =>
        {
            for (var column = c * Chunk; column < Math.Min(Columns, (c + 1) * Chunk); column++)
            {
                var k = 0;
                while (column >= _columnOffsets[k + 1])
                {
                    k++;
                }

                var s = _slices[k];
                var item = column - _columnOffsets[k];
                var row = z.AsSpan(column * width, width);
                row.Clear();
                var scale = _scale[k];
                var end = s.ItemOffsets[item + 1];
                for (var h = s.ItemOffsets[item]; h < end; h++)
                {
                    if (h + Ahead < end)
                    {
                        Prefetch.Row(y, s.Holders[h + Ahead], width);
                    }

                    var v = s.Holders[h];
                    var value = (float)((_binary ? 1.0 : s.HolderWeights[h]) * scale[v]);
                    if (value != 0)
                    {
                        VectorMath.Axpy(value, y.AsSpan(v * width, width), row);
                    }
                }
            }
        });
    }
}
