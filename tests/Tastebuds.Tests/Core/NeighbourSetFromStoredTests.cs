using Tastebuds.Core;
using Tastebuds.Core.Recommendations;
using Tastebuds.Core.Similarity;
using static Tastebuds.Tests.Core.Fixture;

namespace Tastebuds.Tests.Core;

public class NeighbourSetFromStoredTests
{
    [Test]
    public void A_set_rebuilt_from_its_own_rows_in_any_order_recommends_exactly_what_the_computed_set_does()
    {
        var rows = ClusterWorld.Create(usersPerCluster: 8, seed: 3);
        var m = InteractionMatrix.Build(rows);
        var options = new SimilarityOptions { SimilarityThreshold = 0.05, MaxSimilarUsers = 6, MaxDegreeOfParallelism = 1 };
        var computed = NeighbourFinder.Compute(m, options, CancellationToken.None);
        var stored = Enumerable.Range(0, m.UserCount)
            .SelectMany(u => Enum.GetValues<SimilarityMetric>().SelectMany(metric =>
                computed.Of(u, metric).Select(n => new StoredNeighbour(metric, u, n))))
            .Reverse()
            .ToList();

        var rebuilt = NeighbourSet.FromStored(m.UserCount, stored);

        var scoring = new RecommendationOptions { RecommendationsPerUser = 10, MaxDegreeOfParallelism = 1 };
        var expected = Recommender.Recommend(m, computed, SimilarityMetric.Cosine, scoring, null, CancellationToken.None);
        var actual = Recommender.Recommend(m, rebuilt, SimilarityMetric.Cosine, scoring, null, CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rebuilt.Stats.NeighboursKept, Is.EqualTo(computed.Stats.NeighboursKept));
            for (var u = 0; u < m.UserCount; u++)
            {
                Assert.That(rebuilt.Of(u, SimilarityMetric.Pearson), Is.EqualTo(computed.Of(u, SimilarityMetric.Pearson)), $"user {u}");
                Assert.That(actual.For(u).Select(r => (r.Item, r.Score)), Is.EqualTo(expected.For(u).Select(r => (r.Item, r.Score))), $"user {u}");
            }
        }
    }

    [Test]
    public void Users_without_rows_have_no_neighbours_and_a_row_outside_the_matrix_is_refused()
    {
        var n = new Neighbour(1, 0.5, 0.5, null, null, 5, 0, 0);

        var set = NeighbourSet.FromStored(3, [new StoredNeighbour(SimilarityMetric.Jaccard, 0, n)]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(set.Of(0, SimilarityMetric.Jaccard), Is.EqualTo(new[] { n }));
            Assert.That(set.Of(0, SimilarityMetric.Cosine), Is.Empty);
            Assert.That(set.Of(2, SimilarityMetric.Jaccard), Is.Empty);
            Assert.That(() => NeighbourSet.FromStored(1, [new StoredNeighbour(SimilarityMetric.Cosine, 0, n)]), Throws.ArgumentException);
            Assert.That(() => NeighbourSet.FromStored(3, [new StoredNeighbour(SimilarityMetric.Cosine, 1, n)]), Throws.ArgumentException);
        }
    }
}
