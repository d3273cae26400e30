using Tastebuds.Core;
using Tastebuds.Core.Recommendations;
using Tastebuds.Core.Similarity;
using static Tastebuds.Tests.Core.Fixture;

namespace Tastebuds.Tests.Core;

public class RecommenderTests
{
    private const double Tolerance = 1e-12;

    [Test]
    public void Scores_follow_the_formula_on_a_hand_computed_fixture()
    {
        // Cosine from u0 = {1:1, 2:1}: u1 = {1:1, 2:1, 3:2} scores 2/√12, u2 = {1:1, 3:1, 4:2} scores 1/√12,
        // u3 shares nothing. Σ sim = 3/√12, so evidence is t3 (2·2 + 1·1)/3 = 5/3 and t4 (1·2)/3 = 2/3.
        var m = Matrix(Raw, Tracks(1, (1, 1), (2, 1)), Tracks(2, (1, 1), (2, 1), (3, 2)),
            Tracks(3, (1, 1), (3, 1), (4, 2)), Tracks(4, (5, 3)));
        var neighbours = NeighbourFinder.Compute(m, Permissive, CancellationToken.None);
        var options = new RecommendationOptions { PopularityWeight = 0.5, MaxDegreeOfParallelism = 1 };

        var recs = Recommender.Recommend(m, neighbours, SimilarityMetric.Cosine, options, null, CancellationToken.None).For(0);

        var t3 = Index(m, 3);
        var t4 = Index(m, 4);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(recs.Select(r => r.Item), Is.EqualTo(new[] { t3, t4 }));
            Assert.That(recs[0].Score, Is.EqualTo((5.0 / 3) + (0.5 * Math.Log(3) / Math.Log(5))).Within(Tolerance));
            Assert.That(recs[1].Score, Is.EqualTo((2.0 / 3) + (0.5 * Math.Log(2) / Math.Log(5))).Within(Tolerance));
            Assert.That(recs[0].Rank, Is.EqualTo(1));
            Assert.That(recs[0].SupportingNeighbours, Is.EqualTo(2));
            Assert.That(recs[0].TopContributors.Select(c => c.Neighbour), Is.EqualTo(new[] { 1, 2 }));
            Assert.That(recs[0].TopContributors[0].Amount, Is.EqualTo(4.0 / 3).Within(Tolerance));
            Assert.That(recs[0].TopContributors[0].Similarity, Is.EqualTo(2 / Math.Sqrt(12)).Within(Tolerance));
            Assert.That(recs[0].TopContributors[0].PlayCount, Is.EqualTo(2));
            Assert.That(recs[0].TopContributors[1].Amount, Is.EqualTo(1.0 / 3).Within(Tolerance));
            Assert.That(recs[1].SupportingNeighbours, Is.EqualTo(1));
        }
    }

    [Test]
    public void Similarity_exponent_and_neighbour_normalisation_reweigh_the_evidence()
    {
        // The fixture above: sims 2/√12 and 1/√12; ‖u1‖ = ‖u2‖ = √6.
        var m = Matrix(Raw, Tracks(1, (1, 1), (2, 1)), Tracks(2, (1, 1), (2, 1), (3, 2)),
            Tracks(3, (1, 1), (3, 1), (4, 2)), Tracks(4, (5, 3)));
        var neighbours = NeighbourFinder.Compute(m, Permissive, CancellationToken.None);
        var squared = new RecommendationOptions { PopularityWeight = 0, SimilarityExponent = 2 };
        var normalised = new RecommendationOptions { PopularityWeight = 0, NormaliseNeighbourWeights = true };

        var bySquares = Recommender.Recommend(m, neighbours, SimilarityMetric.Cosine, squared, null, CancellationToken.None).For(0);
        var byUnitVectors = Recommender.Recommend(m, neighbours, SimilarityMetric.Cosine, normalised, null, CancellationToken.None).For(0);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(bySquares.Select(r => r.Score), Is.EqualTo(new[] { 9.0 / 5, 2.0 / 5 }).Within(Tolerance));
            Assert.That(bySquares[0].TopContributors.Sum(c => c.Amount), Is.EqualTo(9.0 / 5).Within(Tolerance));
            Assert.That(byUnitVectors.Select(r => r.Score), Is.EqualTo(new[] { 5.0 / 3 / Math.Sqrt(6), 2.0 / 3 / Math.Sqrt(6) }).Within(Tolerance));
        }
    }

    [Test]
    public void Equal_scores_rank_by_track_index()
    {
        var m = Matrix(Raw, Tracks(1, (1, 1)), Tracks(2, (1, 1), (7, 2), (3, 2)));
        var neighbours = NeighbourFinder.Compute(m, Permissive, CancellationToken.None);
        var recs = Recommender.Recommend(m, neighbours, SimilarityMetric.Jaccard, new RecommendationOptions { PopularityWeight = 0 }, null, CancellationToken.None);
        Assert.That(recs.For(0).Select(r => m.ItemId(ItemKind.Track, r.Item)), Is.EqualTo(new long[] { 3, 7 }));
    }

    [Test]
    public void Tracks_the_user_has_in_any_way_are_never_recommended()
    {
        // u0 has track 2 with no plays and no love: still an interaction, so never recommended.
        var m = Matrix(Raw, Tracks(1, (1, 1), (2, 0)), Tracks(2, (1, 1), (2, 5), (3, 1)));
        var neighbours = NeighbourFinder.Compute(m, Permissive, CancellationToken.None);
        var recs = Recommender.Recommend(m, neighbours, SimilarityMetric.Cosine, new RecommendationOptions(), null, CancellationToken.None);
        Assert.That(recs.For(0).Select(r => m.ItemId(ItemKind.Track, r.Item)), Is.EqualTo(new long[] { 3 }));
    }

    [Test]
    public void Users_without_neighbours_get_no_recommendations()
    {
        var m = Matrix(Raw, Tracks(1, (1, 1)), Tracks(2, (2, 1)));
        var neighbours = NeighbourFinder.Compute(m, Permissive, CancellationToken.None);
        var recs = Recommender.Recommend(m, neighbours, SimilarityMetric.Cosine, new RecommendationOptions(), null, CancellationToken.None);
        Assert.That(recs.For(0), Is.Empty);
    }

    [TestCase(SimilarityMetric.Cosine)]
    [TestCase(SimilarityMetric.Jaccard)]
    [TestCase(SimilarityMetric.Pearson)]
    public void Recommendations_are_new_explained_by_real_neighbours_and_capped_per_artist(SimilarityMetric metric)
    {
        var m = InteractionMatrix.Build(ClusterWorld.Create(usersPerCluster: 25, seed: 3));
        var neighbours = NeighbourFinder.Compute(m, new SimilarityOptions { MinSharedItems = 2, SimilarityThreshold = 0.01 }, CancellationToken.None);
        var artistOfTrack = m.ArtistOfTrack(ClusterWorld.ArtistOf);
        var options = new RecommendationOptions { RecommendationsPerUser = 20, MaxTracksPerArtist = 2, MaxExplanationNeighbours = 3 };

        var recs = Recommender.Recommend(m, neighbours, metric, options, artistOfTrack, CancellationToken.None);

        var recommended = 0;
        using (Assert.EnterMultipleScope())
        {
            for (var u = 0; u < m.UserCount; u++)
            {
                var own = m.ItemsOf(u, ItemKind.Track).ToArray();
                var mine = neighbours.Of(u, metric).ToDictionary(n => n.User, n => n.Score);
                var list = recs.For(u);
                recommended += list.Count;
                Assert.That(list, Has.Count.LessThanOrEqualTo(20));
                Assert.That(list.Select(r => r.Item).Intersect(own), Is.Empty, $"user {u} already has these");
                Assert.That(list.GroupBy(r => artistOfTrack[r.Item]).Max(g => (int?)g.Count()) ?? 0, Is.LessThanOrEqualTo(2));
                Assert.That(list.Select(r => r.Score), Is.Ordered.Descending);
                Assert.That(list.Select(r => r.Rank), Is.EqualTo(Enumerable.Range(1, list.Count)));
                foreach (var r in list)
                {
                    Assert.That(r.TopContributors, Has.Count.InRange(1, 3));
                    Assert.That(r.SupportingNeighbours, Is.GreaterThanOrEqualTo(r.TopContributors.Count));
                    foreach (var c in r.TopContributors)
                    {
                        Assert.That(mine.ContainsKey(c.Neighbour), Is.True, $"user {u}: {c.Neighbour} is not a neighbour");
                        Assert.That(c.Similarity, Is.EqualTo(mine.GetValueOrDefault(c.Neighbour)));
                        Assert.That(m.ItemsOf(c.Neighbour, ItemKind.Track).ToArray(), Does.Contain(r.Item));
                    }
                }
            }
        }

        Assert.That(recommended, Is.GreaterThan(m.UserCount * 10), "the fixture should exercise the checks");
    }

    private static int Index(InteractionMatrix m, long trackId) =>
        m.TryGetItem(ItemKind.Track, trackId, out var item) ? item : throw new AssertionException($"no track {trackId}");
}
