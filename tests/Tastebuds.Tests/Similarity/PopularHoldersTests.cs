using Tastebuds.Core;
using Tastebuds.Core.Similarity;

namespace Tastebuds.Tests.Similarity;

/// <summary>The holders a pruned target visits for a popular item: the ones the item weighs most for.</summary>
public sealed class PopularHoldersTests
{
    [Test]
    public void A_popular_item_keeps_the_holders_it_weighs_most_for_relative_to_their_norm_in_user_order()
    {
        // Track 1 is held by users 1..5 with 10 plays each (raw weights); users 2 and 4 hold little else, so track 1 is
        // most of their vector; user 5 holds much else; users 1 and 3 in between, user 1 less so than user 3.
        var rows = new List<Interaction>
        {
            new(1, ItemKind.Track, 1, 10, false), new(1, ItemKind.Track, 2, 20, false),
            new(2, ItemKind.Track, 1, 10, false),
            new(3, ItemKind.Track, 1, 10, false), new(3, ItemKind.Track, 3, 10, false),
            new(4, ItemKind.Track, 1, 10, false), new(4, ItemKind.Track, 4, 1, false),
            new(5, ItemKind.Track, 1, 10, false), new(5, ItemKind.Track, 5, 100, false),
        };
        var matrix = InteractionMatrix.Build(rows, new WeightingOptions { Transform = PlayCountTransform.Raw });
        var slice = matrix.Slice(ItemKind.Track);
        matrix.TryGetItem(ItemKind.Track, 1, out var popularItem);

        var kept = PopularHolders.Of(slice, cap: 3);

        var users = Enumerable.Range(0, 3).Select(i => matrix.UserId(kept.Holders[i])).ToArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(kept.PopularOf[popularItem], Is.Zero, "the only item with more than 3 holders");
            Assert.That(kept.PopularOf.Count(p => p >= 0), Is.EqualTo(1));
            Assert.That(users, Is.EqualTo(new long[] { 2, 3, 4 }), "y / ‖v‖: 1, 0.71 and 0.995 beat 0.45 (user 1) and 0.0995 (user 5)");
            Assert.That(kept.Weights.Take(3), Is.All.EqualTo(10.0));
        }
    }

    [Test]
    public void The_pruned_search_gives_the_same_lists_every_time_it_runs()
    {
        var matrix = PopularWorld.Create(users: 600, seed: 5);
        var options = new SimilarityOptions { MaxHoldersPerItem = 40, MaxDegreeOfParallelism = 2 };
        var first = NeighbourFinder.Compute(matrix, options, CancellationToken.None);
        var second = NeighbourFinder.Compute(matrix, options, CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            foreach (var metric in Enum.GetValues<SimilarityMetric>())
            {
                for (var u = 0; u < matrix.UserCount; u++)
                {
                    Assert.That(second.Of(u, metric), Is.EqualTo(first.Of(u, metric)), $"{metric}, user {u}");
                }
            }
        }
    }

    [Test]
    public void A_search_for_chosen_targets_gives_them_the_lists_of_the_whole_search_and_nobody_else_any()
    {
        var matrix = PopularWorld.Create(users: 500, seed: 9);
        var options = new SimilarityOptions { MaxHoldersPerItem = 40 };
        var whole = NeighbourFinder.Compute(matrix, options, CancellationToken.None);
        int[] targets = [3, 77, 250, 499];
        var chosen = NeighbourFinder.Compute(matrix, options, targets, CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            foreach (var metric in Enum.GetValues<SimilarityMetric>())
            {
                for (var u = 0; u < matrix.UserCount; u++)
                {
                    Assert.That(chosen.Of(u, metric), Is.EqualTo(targets.Contains(u) ? whole.Of(u, metric) : []), $"{metric}, user {u}");
                }
            }

            Assert.That(targets.Sum(u => whole.Of(u, SimilarityMetric.Cosine).Count), Is.GreaterThan(0));
        }
    }
}
