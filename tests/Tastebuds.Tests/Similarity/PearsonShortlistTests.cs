using Tastebuds.Core.Similarity;

namespace Tastebuds.Tests.Similarity;

/// <summary>
/// Pearson's own shortlist applies only up to <see cref="SimilarityOptions.PearsonShortlistMaxUsers"/> users; above it its
/// budget goes to the cosine and Jaccard shortlists.
/// </summary>
public sealed class PearsonShortlistTests
{
    [Test]
    public void A_pruned_search_over_more_users_than_the_pearson_shortlist_limit_searches_as_without_it_with_twice_the_rescore_factor()
    {
        var matrix = PopularWorld.Create(users: 1_200, seed: 5);
        var over = NeighbourFinder.Compute(matrix, new SimilarityOptions { MaxHoldersPerItem = 100, PearsonShortlistMaxUsers = 1_199 }, CancellationToken.None);
        var without = NeighbourFinder.Compute(matrix, new SimilarityOptions { MaxHoldersPerItem = 100, PearsonShortlist = false, RescoreFactor = 16 }, CancellationToken.None);
        var within = NeighbourFinder.Compute(matrix, new SimilarityOptions { MaxHoldersPerItem = 100, PearsonShortlistMaxUsers = 1_200 }, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(SearchFingerprintTests.Fingerprint(over), Is.EqualTo(SearchFingerprintTests.Fingerprint(without)));
            Assert.That(over.Stats.PairsEvaluated, Is.EqualTo(without.Stats.PairsEvaluated));
            Assert.That(within.Stats.PairsEvaluated, Is.GreaterThan(over.Stats.PairsEvaluated), "at the limit the Pearson shortlist adds candidates");
        }
    }

    [Test]
    public void The_pearson_shortlist_applies_up_to_20000_users_by_default_and_hands_its_budget_to_cosine_and_jaccard_above()
    {
        var options = new SimilarityOptions();
        var everywhere = options with { PearsonShortlistMaxUsers = int.MaxValue };
        using (Assert.EnterMultipleScope())
        {
            Assert.That(options.PearsonShortlistFor(1_892), Is.True, "HetRec");
            Assert.That(options.PearsonShortlistFor(20_000), Is.True);
            Assert.That(options.PearsonShortlistFor(20_001), Is.False);
            Assert.That(options.ShortlistCapacity(20_000), Is.EqualTo(8 * 50));
            Assert.That(options.ShortlistCapacity(100_000), Is.EqualTo(16 * 50), "the Pearson shortlist's 2·8·50 shared by cosine and Jaccard");
            Assert.That(everywhere.PearsonShortlistFor(100_000), Is.True);
            Assert.That(everywhere.ShortlistCapacity(100_000), Is.EqualTo(8 * 50));
            Assert.That((options with { PearsonShortlist = false }).PearsonShortlistFor(100), Is.False);
            Assert.That((options with { PearsonShortlist = false }).ShortlistCapacity(100_000), Is.EqualTo(8 * 50), "switched off, not limited: nothing to hand over");
        }
    }
}
