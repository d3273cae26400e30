using Tastebuds.Core;
using Tastebuds.Core.Similarity;
using static Tastebuds.Tests.Core.Fixture;

namespace Tastebuds.Tests.Core;

public class SimilarityMeasureTests
{
    private const double Tolerance = 1e-12;

    [Test]
    public void Weight_is_log_of_one_plus_plays_plus_love_bonus()
    {
        var weighting = new WeightingOptions();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(weighting.Weight(3, false), Is.EqualTo(Math.Log(4)).Within(Tolerance));
            Assert.That(weighting.Weight(3, true), Is.EqualTo(Math.Log(4) + 1.0).Within(Tolerance));
            Assert.That(weighting.Weight(0, true), Is.EqualTo(1.0));
            Assert.That(new WeightingOptions { LoveBonus = 2.5 }.Weight(0, true), Is.EqualTo(2.5));
        }
    }

    [Test]
    public void Identical_users_score_one_on_every_measure()
    {
        var m = Matrix(Raw, Artists(1, (1, 3), (2, 5)), Artists(2, (1, 3), (2, 5)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Score(m, SimilarityMetric.Cosine), Is.EqualTo(1.0).Within(Tolerance));
            Assert.That(Score(m, SimilarityMetric.Jaccard), Is.EqualTo(1.0));
            Assert.That(Score(m, SimilarityMetric.Pearson), Is.EqualTo(1.0).Within(Tolerance));
        }
    }

    [Test]
    public void Measures_match_hand_computed_values_on_partial_overlap()
    {
        // x = (1, 2, 3) and y = (2, 1, 4) on the shared items; u0 also has item 4 (1), u1 item 5 (2).
        var m = Matrix(Raw, Artists(1, (1, 1), (2, 2), (3, 3), (4, 1)), Artists(2, (1, 2), (2, 1), (3, 4), (5, 2)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Score(m, SimilarityMetric.Cosine), Is.EqualTo(16 / (5 * Math.Sqrt(15))).Within(Tolerance));
            Assert.That(Score(m, SimilarityMetric.Jaccard), Is.EqualTo(0.6).Within(Tolerance));
            Assert.That(Score(m, SimilarityMetric.Pearson), Is.EqualTo(2 / Math.Sqrt(28.0 / 3)).Within(Tolerance));
        }
    }

    [Test]
    public void Users_without_shared_items_are_never_neighbours()
    {
        var m = Matrix(Raw, Artists(1, (1, 1), (2, 2)), Artists(2, (3, 2), (4, 1)));
        using (Assert.EnterMultipleScope())
        {
            foreach (var metric in Enum.GetValues<SimilarityMetric>())
            {
                Assert.That(Pair(m, metric), Is.Null, metric.ToString());
            }
        }
    }

    [Test]
    public void One_shared_item_gives_cosine_and_jaccard_but_no_pearson()
    {
        var m = Matrix(Raw, Artists(1, (1, 2), (2, 1)), Artists(2, (1, 3), (3, 4)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Score(m, SimilarityMetric.Cosine), Is.EqualTo(6 / (5 * Math.Sqrt(5))).Within(Tolerance));
            Assert.That(Score(m, SimilarityMetric.Jaccard), Is.EqualTo(1.0 / 3).Within(Tolerance));
            Assert.That(Score(m, SimilarityMetric.Pearson), Is.Zero);
        }
    }

    [Test]
    public void A_user_with_one_item_is_scored_against_it()
    {
        var m = Matrix(Raw, Artists(1, (1, 4)), Artists(2, (1, 2), (2, 2)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Score(m, SimilarityMetric.Cosine), Is.EqualTo(1 / Math.Sqrt(2)).Within(Tolerance));
            Assert.That(Score(m, SimilarityMetric.Jaccard), Is.EqualTo(0.5));
            Assert.That(Score(m, SimilarityMetric.Pearson), Is.Zero);
        }
    }

    [Test]
    public void Pearson_is_zero_when_one_user_has_no_variance_on_shared_items()
    {
        var m = Matrix(Raw, Artists(1, (1, 2), (2, 2), (3, 2)), Artists(2, (1, 1), (2, 5), (3, 3)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Score(m, SimilarityMetric.Pearson), Is.Zero);
            Assert.That(Score(m, SimilarityMetric.Cosine), Is.EqualTo(18 / Math.Sqrt(420)).Within(Tolerance));
        }
    }

    [Test]
    public void Pearson_of_opposite_tastes_is_minus_one()
    {
        var m = Matrix(Raw, Artists(1, (1, 1), (2, 2), (3, 3)), Artists(2, (1, 3), (2, 2), (3, 1)));
        Assert.That(Score(m, SimilarityMetric.Pearson), Is.EqualTo(-1.0).Within(Tolerance));
    }

    [Test]
    public void Loves_without_plays_weigh_the_love_bonus()
    {
        var m = InteractionMatrix.Build(
        [
            new(1, ItemKind.Artist, 1, 0, true),
            new(1, ItemKind.Artist, 2, 3, false),
            new(2, ItemKind.Artist, 1, 0, true),
            new(2, ItemKind.Artist, 2, 0, true),
        ]);
        var ln4 = Math.Log(4);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Score(m, SimilarityMetric.Cosine), Is.EqualTo((1 + ln4) / (Math.Sqrt(1 + (ln4 * ln4)) * Math.Sqrt(2))).Within(Tolerance));
            Assert.That(Score(m, SimilarityMetric.Jaccard), Is.EqualTo(1.0));
            Assert.That(Score(m, SimilarityMetric.Pearson), Is.Zero, "u1 weighs 1 on both items: no variance");
        }
    }

    [Test]
    public void Combined_score_is_the_weighted_mean_of_kinds_both_users_have_then_shrunk()
    {
        var rows = new List<Interaction>
        {
            new(1, ItemKind.Track, 1, 1, false), new(1, ItemKind.Track, 2, 2, false),
            new(1, ItemKind.Album, 1, 1, false),
            new(1, ItemKind.Artist, 1, 2, false), new(1, ItemKind.Artist, 2, 1, false),
            new(2, ItemKind.Track, 1, 1, false), new(2, ItemKind.Track, 2, 2, false),
            new(2, ItemKind.Album, 2, 1, false),
            new(2, ItemKind.Artist, 1, 2, false),
        };
        var m = InteractionMatrix.Build(rows, Raw);
        var pair = Pair(m, SimilarityMetric.Cosine, Permissive with { ShrinkageShared = 10 })!;
        var artist = 2 / Math.Sqrt(5);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(pair.TrackScore, Is.EqualTo(1.0).Within(Tolerance));
            Assert.That(pair.AlbumScore, Is.Zero, "both have albums, none shared: counts as 0");
            Assert.That(pair.ArtistScore, Is.EqualTo(artist).Within(Tolerance));
            Assert.That(pair.SharedTracks, Is.EqualTo(2));
            Assert.That(pair.SharedAlbums, Is.Zero);
            Assert.That(pair.SharedArtists, Is.EqualTo(1));
            Assert.That(pair.SharedItems, Is.EqualTo(3));
            Assert.That(pair.Score, Is.EqualTo(((0.5 * 1.0) + (0.2 * 0.0) + (0.3 * artist)) * 0.3).Within(Tolerance));
        }
    }

    [Test]
    public void Kinds_one_user_lacks_are_left_out_of_the_mean()
    {
        var rows = new List<Interaction>
        {
            new(1, ItemKind.Track, 1, 1, false),
            new(1, ItemKind.Artist, 1, 2, false), new(1, ItemKind.Artist, 2, 1, false),
            new(2, ItemKind.Artist, 1, 2, false), new(2, ItemKind.Artist, 2, 1, false),
        };
        var pair = Pair(InteractionMatrix.Build(rows, Raw), SimilarityMetric.Cosine)!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(pair.TrackScore, Is.Null);
            Assert.That(pair.AlbumScore, Is.Null);
            Assert.That(pair.ArtistScore, Is.EqualTo(1.0).Within(Tolerance));
            Assert.That(pair.Score, Is.EqualTo(1.0).Within(Tolerance));
        }
    }

    [Test]
    public void Shrinkage_scales_by_shared_items_and_zero_turns_it_off()
    {
        var m = Matrix(Raw, Artists(1, (1, 3), (2, 5)), Artists(2, (1, 3), (2, 5)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Pair(m, SimilarityMetric.Cosine, Permissive with { ShrinkageShared = 8 })!.Score, Is.EqualTo(0.25).Within(Tolerance));
            Assert.That(Pair(m, SimilarityMetric.Cosine, Permissive with { ShrinkageShared = 1 })!.Score, Is.EqualTo(1.0).Within(Tolerance));
            Assert.That(Pair(m, SimilarityMetric.Cosine, Permissive with { ShrinkageShared = 0 })!.Score, Is.EqualTo(1.0).Within(Tolerance));
        }
    }

    [Test]
    public void Threshold_and_minimum_shared_items_filter_neighbours()
    {
        var m = Matrix(Raw, Artists(1, (1, 1), (2, 2), (3, 3), (4, 1)), Artists(2, (1, 2), (2, 1), (3, 4), (5, 2)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Pair(m, SimilarityMetric.Jaccard, Permissive with { SimilarityThreshold = 0.6 }), Is.Not.Null);
            Assert.That(Pair(m, SimilarityMetric.Jaccard, Permissive with { SimilarityThreshold = 0.61 }), Is.Null);
            Assert.That(Pair(m, SimilarityMetric.Jaccard, Permissive with { MinSharedItems = 3 }), Is.Not.Null);
            Assert.That(Pair(m, SimilarityMetric.Jaccard, Permissive with { MinSharedItems = 4 }), Is.Null);
        }
    }

    [Test]
    public void Ties_go_to_the_lower_user_index()
    {
        // Users 1, 2 and 3 are identical, so equally similar to user 0.
        var same = new[] { (1L, 2L), (2L, 3L) };
        var m = Matrix(Raw, Artists(10, (1, 1), (2, 3)), Artists(11, same), Artists(12, same), Artists(13, same));
        var set = NeighbourFinder.Compute(m, Permissive with { MaxSimilarUsers = 2 }, CancellationToken.None);
        Assert.That(set.Of(0, SimilarityMetric.Cosine).Select(n => n.User), Is.EqualTo(new[] { 1, 2 }));
    }

    [Test]
    public void Cancellation_is_honoured()
    {
        var m = Matrix(Raw, Artists(1, (1, 1)), Artists(2, (1, 1)));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.That(() => NeighbourFinder.Compute(m, Permissive, cancelled.Token), Throws.InstanceOf<OperationCanceledException>());
    }
}
