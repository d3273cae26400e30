using Tastebuds.Core;
using Tastebuds.Core.Models;
using Tastebuds.Core.Recommendations;
using Tastebuds.Core.Similarity;

namespace Tastebuds.Tests.Core;

/// <summary>What every model promises: no own item comes back, scores descend, every row can be explained.</summary>
public class ModelContractTests
{
    private static ModelInput Input()
    {
        var matrix = InteractionMatrix.Build(ClusterWorld.Create(20, seed: 9));
        var tags = new List<TagRow>();
        var friends = new List<FriendRow>();
        for (var u = 0; u < matrix.UserCount; u++)
        {
            foreach (var t in matrix.ItemsOf(u, ItemKind.Track))
            {
                // A tag per cluster block (and one for the global tracks).
                tags.Add(new TagRow(matrix.UserId(u), matrix.ItemId(ItemKind.Track, t), matrix.ItemId(ItemKind.Track, t) / ClusterWorld.BlockSize));
            }

            friends.Add(new FriendRow(matrix.UserId(u), matrix.UserId((u + 1) % matrix.UserCount)));
        }

        return new ModelInput(matrix, ItemKind.Track, SideSignals.Create(matrix, ItemKind.Track, tags, friends));
    }

    private static IEnumerable<IRecommenderModel> Models() =>
        ModelCatalogue.All(new SimilarityOptions(), new RecommendationOptions());

    [TestCaseSource(nameof(Models))]
    public void Every_model_recommends_no_own_item_in_score_order_and_explains_every_row(IRecommenderModel model)
    {
        var input = Input();
        var trained = model.Fit(input, CancellationToken.None);
        var lists = ModelRanking.TopAll(trained, 10, CancellationToken.None);
        Assert.That(lists.Sum(l => l.Length), Is.GreaterThan(input.UserCount * 5), "most users get a list");
        for (var u = 0; u < input.UserCount; u++)
        {
            var items = lists[u].Select(r => r.Item).ToArray();
            Assert.That(items.Intersect(input.ItemsOf(u).ToArray()), Is.Empty, $"user {u} got an own item");
            Assert.That(lists[u].Select(r => r.Score), Is.Ordered.Descending);
            Assert.That(lists[u].Select(r => r.Rank), Is.EqualTo(Enumerable.Range(1, items.Length)));
            var explanations = trained.ExplainAll(u, items);
            Assert.That(explanations.Select(e => e.Evidence.Count), Has.All.GreaterThan(0), $"user {u}: a row without a reason");
            Assert.That(explanations.Select(e => e.Method), Has.All.EqualTo(model.Name));
        }
    }

    [Test]
    public void The_group_cap_skips_items_of_a_full_group_and_fills_up_from_below()
    {
        var input = Input();
        var trained = new AlsModel { Factors = 8, Iterations = 5 }.Fit(input, CancellationToken.None);
        var artistOf = Enumerable.Range(0, input.ItemCount).Select(i => ClusterWorld.ArtistOf(input.Matrix.ItemId(ItemKind.Track, i))).ToArray();
        var uncapped = ModelRanking.Top(trained, 0, 10);
        var capped = ModelRanking.Top(trained, 0, 10, artistOf, maxPerGroup: 1);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(capped, Has.Length.EqualTo(10));
            Assert.That(capped.Select(r => artistOf[r.Item]), Is.Unique);
            Assert.That(capped[0], Is.EqualTo(uncapped[0]));
            Assert.That(uncapped.Select(r => artistOf[r.Item]), Is.Not.Unique, "the world puts several of a user's best tracks under one artist");
        }
    }

    [Test]
    public void Excluded_items_are_skipped_and_the_list_fills_up_from_below()
    {
        var input = Input();
        var trained = new Rp3BetaModel().Fit(input, CancellationToken.None);
        var before = ModelRanking.TopAll(trained, 10, CancellationToken.None);
        var dismissed = before[0].Take(2).Select(r => r.Item).ToArray();
        var after = ModelRanking.TopAll(trained, 10, CancellationToken.None, excluded: new Dictionary<int, int[]> { [0] = dismissed });
        using (Assert.EnterMultipleScope())
        {
            Assert.That(after[0].Select(r => r.Item), Is.EqualTo(before[0].Skip(2).Select(r => r.Item).Concat(after[0].Skip(8).Select(r => r.Item))));
            Assert.That(after[0], Has.Length.EqualTo(10));
            Assert.That(after[1], Is.EqualTo(before[1]), "other users untouched");
        }
    }
}
