using Tastebuds.Core.Similarity;

namespace Tastebuds.Tests.Similarity;

/// <summary>Pearson's own shortlist applies only up to <see cref="SimilarityOptions.PearsonShortlistMaxUsers"/> users.</summary>
public sealed class PearsonShortlistTests
{
    [Test]
    public void A_pruned_search_over_more_users_than_the_pearson_shortlist_limit_searches_as_without_the_pearson_shortlist()
    {
        var matrix = PopularWorld.Create(users: 1_200, seed: 5);
        var over = NeighbourFinder.Compute(matrix, new SimilarityOptions { MaxHoldersPerItem = 100, PearsonShortlistMaxUsers = 1_199 }, CancellationToken.None);
        var without = NeighbourFinder.Compute(matrix, new SimilarityOptions { MaxHoldersPerItem = 100, PearsonShortlist = false }, CancellationToken.None);
        var within = NeighbourFinder.Compute(matrix, new SimilarityOptions { MaxHoldersPerItem = 100, PearsonShortlistMaxUsers = 1_200 }, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(SearchFingerprintTests.Fingerprint(over), Is.EqualTo(SearchFingerprintTests.Fingerprint(without)));
            Assert.That(over.Stats.PairsEvaluated, Is.EqualTo(without.Stats.PairsEvaluated));
            Assert.That(within.Stats.PairsEvaluated, Is.GreaterThan(over.Stats.PairsEvaluated), "at the limit the Pearson shortlist adds candidates");
        }
    }

    [Test]
    public void The_pearson_shortlist_applies_at_every_scale_by_default_and_up_to_the_limit_when_one_is_set()
    {
        var options = new SimilarityOptions();
        var limited = options with { PearsonShortlistMaxUsers = 20_000 };
        using (Assert.EnterMultipleScope())
        {
            Assert.That(options.PearsonShortlistFor(1_892), Is.True, "HetRec");
            Assert.That(options.PearsonShortlistFor(100_000), Is.True);
            Assert.That(limited.PearsonShortlistFor(20_000), Is.True);
            Assert.That(limited.PearsonShortlistFor(20_001), Is.False);
            Assert.That((options with { PearsonShortlist = false }).PearsonShortlistFor(100), Is.False);
        }
    }
}
