using Tastebuds.Core;

namespace Tastebuds.Tests.Core;

/// <summary>
/// The builder against a plain grouping of the same rows: rows in any order, duplicates of a (user, kind, item), and more
/// rows than one of its column chunks (65,536), so rows on both sides of a chunk's edge are read back; ids small enough for
/// the builder's array look-up, too large for it (beyond 16 M), and both mixed; and more users than one task of the
/// parallel row sort and weights pass takes (2,048), so that rows of several tasks are compared.
/// </summary>
public sealed class InteractionMatrixBuilderTests
{
    [TestCase(0L, 400, TestName = "Rows_in_any_order_with_duplicates_build_each_users_items_ascending_with_summed_plays_and_any_love")]
    [TestCase(1L << 40, 400, TestName = "The_same_with_ids_beyond_the_array_look_up")]
    [TestCase(-1L, 400, TestName = "The_same_with_small_and_large_ids_mixed")]
    [TestCase(0L, 9_000, TestName = "The_same_over_more_users_than_a_task_of_the_row_sort_and_of_the_weights_takes")]
    public void Rows_in_any_order_with_duplicates_build_each_users_items_ascending_with_summed_plays_and_any_love(long offset, int userCount)
    {
        var random = new Random(5);
        var rows = new List<Interaction>();
        // offset −1: every other user and item id moved beyond the array look-up.
        long Id(long id) => offset >= 0 ? offset + id : id % 2 == 0 ? id : (1L << 40) + id;
        for (var n = 0; n < 150_000; n++)
        {
            var kind = n % 5 == 0 ? ItemKind.Album : ItemKind.Track;
            rows.Add(new Interaction(Id(1_000 + random.Next(userCount)), kind, Id(50_000 + random.Next(3_000)), random.Next(0, 40), random.Next(10) == 0));
        }

        // Some rows twice over (a liked track beside the user's own row of it is such a duplicate).
        rows.AddRange(rows.Take(20_000).Select(r => r with { PlayCount = 0, Loved = true }));
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rows));
        var weighting = new WeightingOptions();

        var matrix = InteractionMatrix.Build(rows, weighting);

        var users = rows.Select(r => r.UserId).Distinct().Order().ToArray();
        var byUserAndKind = rows.ToLookup(r => (r.UserId, r.Kind));
        Assert.That(Enumerable.Range(0, matrix.UserCount).Select(matrix.UserId), Is.EqualTo(users), "every user, by id");
        foreach (var kind in new[] { ItemKind.Track, ItemKind.Album })
        {
            for (var u = 0; u < users.Length; u++)
            {
                var expected = byUserAndKind[(users[u], kind)]
                    .GroupBy(r => r.ItemId)
                    .Select(g => (Item: g.Key, Weight: weighting.Weight(g.Sum(r => r.PlayCount), g.Any(r => r.Loved))))
                    .OrderBy(x => x.Item).ToArray();
                var items = matrix.ItemsOf(u, kind).ToArray().Select(i => matrix.ItemId(kind, i)).ToArray();
                Assert.That(items, Is.EqualTo(expected.Select(x => x.Item)), $"user {users[u]}'s {kind} items, once each, ascending");
                Assert.That(matrix.WeightsOf(u, kind).ToArray(), Is.EqualTo(expected.Select(x => x.Weight)), $"user {users[u]}'s {kind} weights");
            }
        }
    }

    [Test]
    public void Kinds_built_side_by_side_give_the_same_matrix_as_one_kind_at_a_time()
    {
        var random = new Random(11);
        var rows = Enumerable.Range(0, 120_000)
            .Select(n => new Interaction(1 + random.Next(900), (ItemKind)(n % 3), 10_000 + random.Next(n % 3 == 0 ? 5_000 : 800),
                random.Next(0, 60), random.Next(8) == 0))
            .ToArray();
        InteractionMatrix Build(int threads)
        {
            var builder = new InteractionMatrixBuilder();
            foreach (var r in rows)
            {
                builder.Add(r.UserId, r.Kind, r.ItemId, r.PlayCount, r.Loved);
            }

            return builder.Build(new WeightingOptions(), threads);
        }

        var alone = Build(1);
        var together = Build(3);

        Assert.That(Enumerable.Range(0, together.UserCount).Select(together.UserId), Is.EqualTo(Enumerable.Range(0, alone.UserCount).Select(alone.UserId)));
        foreach (var kind in InteractionMatrix.Kinds)
        {
            var (a, t) = (alone.Slice(kind), together.Slice(kind));
            Assert.That(a.Items, Is.Not.Empty, $"{kind} rows");
            Assert.That(t.ItemIds, Is.EqualTo(a.ItemIds), $"{kind} item ids");
            Assert.That(t.UserOffsets, Is.EqualTo(a.UserOffsets), $"{kind} rows' offsets");
            Assert.That(t.Items, Is.EqualTo(a.Items), $"{kind} items");
            Assert.That(t.PlayCounts, Is.EqualTo(a.PlayCounts), $"{kind} plays");
            Assert.That(t.Loved, Is.EqualTo(a.Loved), $"{kind} loves");
            Assert.That(t.Weights, Is.EqualTo(a.Weights), $"{kind} weights, bit for bit");
            Assert.That(t.Norms, Is.EqualTo(a.Norms), $"{kind} norms, bit for bit");
            Assert.That(t.Holders, Is.EqualTo(a.Holders), $"{kind} holders");
            Assert.That(t.HolderWeights, Is.EqualTo(a.HolderWeights), $"{kind} holders' weights");
        }
    }
}
