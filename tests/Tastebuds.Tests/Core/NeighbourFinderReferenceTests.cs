using Tastebuds.Core;
using Tastebuds.Core.Similarity;

namespace Tastebuds.Tests.Core;

public class NeighbourFinderReferenceTests
{
    private static IEnumerable<TestCaseData> Worlds()
    {
        foreach (var users in new[] { 3, 12, 40, 90 })
        {
            for (var seed = 1; seed <= 6; seed++)
            {
                yield return new TestCaseData(users, seed).SetName($"Inverted_index_top_k_equals_all_pairs_reference({users} users, seed {seed})");
            }
        }
    }

    [TestCaseSource(nameof(Worlds))]
    public void Inverted_index_top_k_equals_all_pairs_reference(int users, int seed)
    {
        var random = new Random(seed);
        var matrix = InteractionMatrix.Build(RandomRows(random, users), seed % 2 == 0 ? new WeightingOptions() : Fixture.Raw);
        var options = new SimilarityOptions
        {
            MaxSimilarUsers = 1 + random.Next(6),
            SimilarityThreshold = new[] { double.NegativeInfinity, 0.0, 0.1, 0.3 }[random.Next(4)],
            MinSharedItems = random.Next(4),
            ShrinkageShared = new[] { 0.0, 4.0 }[random.Next(2)],
            ArtistWeight = new[] { 0.3, 0.0 }[random.Next(2)],
            MaxDegreeOfParallelism = 2,
        };

        var actual = NeighbourFinder.Compute(matrix, options, CancellationToken.None);
        var expected = BruteForceNeighbours.Compute(matrix, options);

        using (Assert.EnterMultipleScope())
        {
            foreach (var metric in Enum.GetValues<SimilarityMetric>())
            {
                for (var u = 0; u < matrix.UserCount; u++)
                {
                    Assert.That(actual.Of(u, metric), Is.EqualTo(expected[(int)metric][u]), $"{metric}, user {u}, {options}");
                }
            }
        }
    }

    [Test]
    public void Stats_count_pairs_sharing_an_item_and_neighbours_kept()
    {
        var matrix = InteractionMatrix.Build(RandomRows(new Random(5), 30), Fixture.Raw);
        var set = NeighbourFinder.Compute(matrix, Fixture.Permissive, CancellationToken.None);
        long sharing = 0;
        for (var u = 0; u < matrix.UserCount; u++)
        {
            for (var v = 0; v < matrix.UserCount; v++)
            {
                sharing += u != v && InteractionMatrix.Kinds.Any(k => matrix.ItemsOf(u, k).ToArray().Intersect(matrix.ItemsOf(v, k).ToArray()).Any()) ? 1 : 0;
            }
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(set.Stats.PairsEvaluated, Is.EqualTo(sharing));
            Assert.That(set.Stats.CosineNeighbours, Is.EqualTo(sharing), "permissive options keep every sharing pair");
            Assert.That(set.Stats.NeighboursKept, Is.EqualTo(3 * sharing));
        }
    }

    [Test]
    public void One_pass_pearson_matches_the_two_pass_textbook_value()
    {
        var matrix = InteractionMatrix.Build(RandomRows(new Random(11), 60));
        var set = NeighbourFinder.Compute(matrix, Fixture.Permissive with { ArtistWeight = 0, AlbumWeight = 0 }, CancellationToken.None);
        var checkedPairs = 0;
        using (Assert.EnterMultipleScope())
        {
            for (var u = 0; u < matrix.UserCount; u++)
            {
                foreach (var n in set.Of(u, SimilarityMetric.Pearson).Where(n => n.TrackScore is not null))
                {
                    var mine = matrix.ItemsOf(u, ItemKind.Track).ToArray();
                    var myWeights = matrix.WeightsOf(u, ItemKind.Track).ToArray();
                    var theirs = matrix.ItemsOf(n.User, ItemKind.Track).ToArray();
                    var theirWeights = matrix.WeightsOf(n.User, ItemKind.Track).ToArray();
                    var common = mine.Select((item, i) => (item, x: myWeights[i]))
                        .Where(p => Array.BinarySearch(theirs, p.item) >= 0)
                        .Select(p => (p.x, y: theirWeights[Array.BinarySearch(theirs, p.item)]))
                        .ToList();
                    Assert.That(n.TrackScore, Is.EqualTo(BruteForceNeighbours.TwoPassPearson(common)).Within(1e-9));
                    checkedPairs++;
                }
            }
        }

        Assert.That(checkedPairs, Is.GreaterThan(100));
    }

    /// <summary>
    /// Small item universes (many overlaps), some users empty in a kind, some exact copies of
    /// another user (exact ties), play counts from a short list (ties and zero variances).
    /// </summary>
    internal static List<Interaction> RandomRows(Random random, int users)
    {
        var rows = new List<Interaction>();
        var perUser = new List<List<Interaction>>();
        for (var u = 0; u < users; u++)
        {
            var mine = new List<Interaction>();
            if (u > 1 && random.NextDouble() < 0.15)
            {
                var copied = perUser[random.Next(u)];
                mine.AddRange(copied.Select(r => r with { UserId = u }));
            }
            else
            {
                foreach (var kind in InteractionMatrix.Kinds)
                {
                    if (random.NextDouble() < 0.2)
                    {
                        continue;
                    }

                    var universe = kind == ItemKind.Track ? 30 : 12;
                    foreach (var item in Enumerable.Range(0, universe).Where(_ => random.NextDouble() < 0.25))
                    {
                        var plays = new long[] { 0, 1, 1, 2, 3, 8, 20 }[random.Next(7)];
                        var loved = plays == 0 || random.NextDouble() < 0.1;
                        mine.Add(new Interaction(u, kind, item, plays, loved));
                    }
                }
            }

            perUser.Add(mine);
            rows.AddRange(mine);
        }

        return rows;
    }
}
