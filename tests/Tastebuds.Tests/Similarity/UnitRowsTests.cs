using Tastebuds.Core;
using Tastebuds.Core.Similarity;

namespace Tastebuds.Tests.Similarity;

/// <summary>
/// The products of the embedding's build (<see cref="UnitRows"/>) against the dense unit rows Ũ, on users holding 120
/// entries and items held by dozens of users, in widths with vector tails: every entry counts, whatever the width.
/// </summary>
public sealed class UnitRowsTests
{
    private const int Users = 80;

    [TestCase(false, 21)]
    [TestCase(true, 21)]
    [TestCase(false, 40)]
    public void The_products_with_dense_blocks_equal_the_dense_unit_rows_times_the_block(bool binary, int width)
    {
        var matrix = Matrix(seed: 5);
        var rows = new UnitRows(InteractionMatrix.Kinds.Select(matrix.Slice).ToArray(), new SimilarityOptions(), binary);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 2 };
        var n = rows.Users;
        var columns = rows.Columns;

        // Ũ itself, one column at a time: Ũ·I adds each entry's value to zeros, exactly.
        var identity = new float[columns * columns];
        for (var c = 0; c < columns; c++)
        {
            identity[(c * columns) + c] = 1;
        }

        var dense = new float[n * columns];
        rows.Times(identity, dense, columns, parallel);

        var random = new Random(11);
        var z = Enumerable.Range(0, columns * width).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        var y = Enumerable.Range(0, n * width).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        var times = new float[n * width];
        var transposed = new float[columns * width];
        rows.Times(z, times, width, parallel);
        rows.TransposeTimes(y, transposed, width, parallel);

        using (Assert.EnterMultipleScope())
        {
            for (var u = 0; u < n; u++)
            {
                var norm = 0.0;
                for (var c = 0; c < columns; c++)
                {
                    norm += (double)dense[(u * columns) + c] * dense[(u * columns) + c];
                }

                // Every user holds every kind, so ⟨ũ_u, ũ_u⟩ = Σ_k α_k / Σα = 1.
                Assert.That(norm, Is.EqualTo(1.0).Within(1e-5), $"‖ũ_{u}‖²");
                for (var j = 0; j < width; j++)
                {
                    var expected = 0.0;
                    for (var c = 0; c < columns; c++)
                    {
                        expected += (double)dense[(u * columns) + c] * z[(c * width) + j];
                    }

                    Assert.That(times[(u * width) + j], Is.EqualTo(expected).Within(1e-5), $"(Ũ·Z)[{u}, {j}]");
                }
            }

            for (var c = 0; c < columns; c++)
            {
                for (var j = 0; j < width; j++)
                {
                    var expected = 0.0;
                    for (var u = 0; u < n; u++)
                    {
                        expected += (double)dense[(u * columns) + c] * y[(u * width) + j];
                    }

                    Assert.That(transposed[(c * width) + j], Is.EqualTo(expected).Within(1e-5), $"(Ũᵀ·Y)[{c}, {j}]");
                }
            }
        }
    }

    /// <summary>80 users of 40 of 60 tracks each (so 40 + albums + artists entries a user, tracks held by ~53 users).</summary>
    private static InteractionMatrix Matrix(int seed)
    {
        var random = new Random(seed);
        var interactions = new List<Interaction>();
        for (var u = 0; u < Users; u++)
        {
            foreach (var t in Enumerable.Range(0, 60).OrderBy(_ => random.Next()).Take(40))
            {
                var plays = 1 + random.Next(200);
                var loved = random.Next(5) == 0;
                interactions.Add(new Interaction(u, ItemKind.Track, t, plays, loved));
                interactions.Add(new Interaction(u, ItemKind.Album, t / 4, plays, loved));
                interactions.Add(new Interaction(u, ItemKind.Artist, t / 10, plays, loved));
            }
        }

        return InteractionMatrix.Build(interactions);
    }
}
