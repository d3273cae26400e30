using Tastebuds.Core;
using Tastebuds.Core.Evaluation;
using Tastebuds.Core.Recommendations;
using Tastebuds.Core.Similarity;

namespace Tastebuds.Tests.Core;

public class OfflineEvaluationTests
{
    [Test]
    public void Holdout_hides_a_fifth_of_each_evaluated_users_items_and_keeps_index_spaces()
    {
        var full = InteractionMatrix.Build(ClusterWorld.Create(usersPerCluster: 10, seed: 1)
            .Append(new Interaction(999, ItemKind.Track, 0, 1, false)));
        var split = HoldoutSplit.Create(full, ItemKind.Track, 0.2, 5, seed: 9);
        full.TryGetUser(999, out var small);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(split.EvaluatedUsers, Has.Count.EqualTo(40), "the one-item user is not evaluated");
            Assert.That(split.TestItems(small), Is.Empty);
            Assert.That(split.Train.ItemsOf(small, ItemKind.Track).ToArray(), Has.Length.EqualTo(1));
            foreach (var u in split.EvaluatedUsers)
            {
                var all = full.ItemsOf(u, ItemKind.Track).ToArray();
                var train = split.Train.ItemsOf(u, ItemKind.Track).ToArray();
                var test = split.TestItems(u);
                Assert.That(test, Has.Count.EqualTo((int)Math.Round(0.2 * all.Length, MidpointRounding.AwayFromZero)));
                Assert.That(train.Concat(test).Order(), Is.EqualTo(all));
            }

            Assert.That(split.Train.ItemCount(ItemKind.Track), Is.EqualTo(full.ItemCount(ItemKind.Track)));
        }
    }

    [Test]
    public void Holdout_is_reproducible_from_its_seed()
    {
        var full = InteractionMatrix.Build(ClusterWorld.Create(usersPerCluster: 5, seed: 1));
        var a = HoldoutSplit.Create(full, ItemKind.Track, 0.2, 5, seed: 4);
        var b = HoldoutSplit.Create(full, ItemKind.Track, 0.2, 5, seed: 4);
        var c = HoldoutSplit.Create(full, ItemKind.Track, 0.2, 5, seed: 5);
        var users = Enumerable.Range(0, full.UserCount).ToArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(users.SelectMany(a.TestItems), Is.EqualTo(users.SelectMany(b.TestItems)));
            Assert.That(users.SelectMany(a.TestItems), Is.Not.EqualTo(users.SelectMany(c.TestItems)));
        }
    }

    [Test]
    public void Neighbour_methods_beat_most_popular_on_a_world_with_taste_clusters()
    {
        var full = InteractionMatrix.Build(ClusterWorld.Create(usersPerCluster: 50, seed: 2));
        var report = OfflineEvaluation.Run(full, new EvaluationOptions(), new SimilarityOptions(), new RecommendationOptions(), CancellationToken.None);
        TestContext.Out.WriteLine(report.ToMarkdown(10));

        var baseline = report[OfflineEvaluation.MostPopular];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.EvaluatedUsers, Is.EqualTo(200));
            Assert.That(report.Methods.Select(m => m.Method), Is.EqualTo(new[] { "cosine", "jaccard", "pearson", "most-popular" }));
            foreach (var method in new[] { "cosine", "jaccard" })
            {
                Assert.That(report[method].Ndcg, Is.GreaterThan(baseline.Ndcg * 1.5), method);
                Assert.That(report[method].Coverage, Is.GreaterThan(baseline.Coverage), method);
            }

            Assert.That(report.BestNdcgOverBaseline, Is.GreaterThan(1.5));
        }
    }
}
