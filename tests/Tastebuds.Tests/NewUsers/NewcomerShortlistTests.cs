using Tastebuds.Core;
using Tastebuds.Core.Similarity;

namespace Tastebuds.Tests.NewUsers;

public sealed class NewcomerShortlistTests
{
    [Test]
    public void The_shortlist_unites_the_best_by_cosine_and_the_best_by_jaccard_on_partial_sums()
    {
        // The newcomer holds tracks 1-4, weight 1 each. K = 1 and RescoreFactor = 2: two users per metric.
        IReadOnlyList<ItemWeight>[] target = [[new(1, 1), new(2, 1), new(3, 1), new(4, 1)], [], []];
        var rows = new List<HolderWeight>();
        void Holds(long user, params (long Item, double Weight)[] items) => rows.AddRange(items.Select(i => new HolderWeight(user, i.Item, i.Weight)));
        Holds(2, (1, 1), (2, 1), (3, 1)); // B: 100 items in all, norm 10 → cosine 0.15, Jaccard 0.03
        Holds(3, (1, 1), (2, 1));         // C: 2 items → cosine 0.707, Jaccard 0.5
        Holds(5, (1, 1), (2, 1), (3, 1)); // E: 3 items → cosine 0.866, Jaccard 0.75
        Holds(6, (1, 1), (2, 1), (3, 1)); // F: 4 items, one heavy → cosine 0.15, Jaccard 0.6
        Holds(7, (1, 5), (2, 4));         // G: 2 items → cosine 0.703, Jaccard 0.5
        var summaries = new Dictionary<long, VectorSummary>
        {
            [2] = new(100, 10), [3] = new(2, Math.Sqrt(2)), [5] = new(3, Math.Sqrt(3)), [6] = new(4, 10), [7] = new(2, Math.Sqrt(41)),
        };
        var options = new SimilarityOptions { MaxSimilarUsers = 1, RescoreFactor = 2, ShrinkageShared = 0, MinSharedItems = 4 };

        var shortlist = NewcomerShortlist.Of(target, [rows, [], []],
            (v, kind) => kind == ItemKind.Track ? summaries[v] : default, options);

        // Cosine: E, C (G just below C); Jaccard: E, F (C and G tie below F).
        Assert.That(shortlist, Is.EqualTo(new long[] { 3, 5, 6 }));
    }

    [Test]
    public void Users_sharing_fewer_than_half_of_MinSharedItems_are_not_shortlisted()
    {
        IReadOnlyList<ItemWeight>[] target = [[new(1, 1), new(2, 1), new(3, 1), new(4, 1)], [], []];
        HolderWeight[] rows = [new(8, 1, 1), new(9, 1, 1), new(9, 2, 1)];
        var options = new SimilarityOptions { MaxSimilarUsers = 5, MinSharedItems = 4 };

        var shortlist = NewcomerShortlist.Of(target, [rows, [], []],
            (_, kind) => kind == ItemKind.Track ? new VectorSummary(2, Math.Sqrt(2)) : default, options);

        Assert.That(shortlist, Is.EqualTo(new long[] { 9 }), "user 8 shares one item, fewer than ⌊4 / 2⌋");
    }
}
