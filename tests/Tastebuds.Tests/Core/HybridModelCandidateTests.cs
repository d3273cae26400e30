using Tastebuds.Core;
using Tastebuds.Core.Models;

namespace Tastebuds.Tests.Core;

/// <summary>The hybrid's candidate ranking (CandidateBlend) against the whole-catalogue blend it replaces.</summary>
public class HybridModelCandidateTests
{
    private static ModelInput Input() =>
        new(InteractionMatrix.Build(ClusterWorld.Create(30, seed: 5).Select(r => r with { Kind = ItemKind.Artist })), ItemKind.Artist);

    private static HybridTrained Fixed(ModelInput input, HybridModel settings, double[] weights)
    {
        var fitted = settings.Components.Select(c => c.Fit(input, CancellationToken.None)).ToArray();
        var tuning = new HybridTuning([.. settings.Components.Select(c => c.Name)], weights, 0, 0, []);
        return new HybridTrained(fitted, tuning,
            new CandidateBlend(fitted, settings.CandidatesPerComponent, settings.PopularCandidates, settings.FullRanking));
    }

    private static double[] Scores(ITrainedModel model, int user)
    {
        var scores = new double[model.Input.ItemCount];
        model.Score(user, scores);
        return scores;
    }

    [Test]
    public void Hybrid_blends_only_each_sparse_components_best_items_and_scales_ials_over_those_candidates()
    {
        // One candidate per user (RP3beta's best, no popular items): both components scale to exactly 1 there.
        var input = Input();
        var settings = new HybridModel([new Rp3BetaModel(), new AlsModel { Factors = 8, Iterations = 5 }])
            { CandidatesPerComponent = 1, PopularCandidates = 0 };
        var hybrid = Fixed(input, settings, [1, 1]);
        var rp3 = hybrid.Components[0];
        var als = hybrid.Components[1];
        using (Assert.EnterMultipleScope())
        {
            for (var u = 0; u < input.UserCount; u += 7)
            {
                var best = ModelRanking.Top(rp3, u, 1).Single().Item;
                var blended = Scores(hybrid, u);
                var expected = 1 + (Scores(als, u)[best] > 0 ? 1 : 0);
                Assert.That(blended[best], Is.EqualTo(expected).Within(1e-12), $"user {u}");
                Assert.That(blended.Count(s => s != 0), Is.EqualTo(1), $"user {u}: nothing outside the candidates scores");
            }
        }
    }

    [Test]
    public void Full_ranking_blends_every_item_with_each_component_scaled_by_its_maximum_over_the_items_not_held()
    {
        var input = Input();
        var settings = new HybridModel([new Rp3BetaModel(), new AlsModel { Factors = 8, Iterations = 5 }]) { FullRanking = true };
        var weights = new[] { 0.3, 0.75 };
        var hybrid = Fixed(input, settings, weights);
        const int user = 11;
        var own = input.ItemsOf(user).ToArray();
        var expected = new double[input.ItemCount];
        for (var m = 0; m < 2; m++)
        {
            var s = Scores(hybrid.Components[m], user);
            var max = Enumerable.Range(0, s.Length).Where(i => !own.Contains(i)).Max(i => Math.Max(0, s[i]));
            for (var i = 0; i < s.Length; i++)
            {
                expected[i] += own.Contains(i) || max <= 0 ? 0 : weights[m] * Math.Max(0, s[i]) / max;
            }
        }

        Assert.That(Scores(hybrid, user), Is.EqualTo(expected).Within(1e-12));
    }

    [Test]
    public void Ranking_all_users_at_once_gives_each_users_own_top_list_and_honours_excluded_items()
    {
        var input = Input();
        var hybrid = ModelCatalogue.Hybrid().Train(input, CancellationToken.None);
        var groups = Enumerable.Range(0, input.ItemCount).Select(i => (long)(i / 3)).ToArray();
        var firstOfUser0 = ModelRanking.Top(hybrid, 0, 1).Single().Item;
        var excluded = new Dictionary<int, int[]> { [0] = [firstOfUser0] };
        var all = ModelRanking.TopAll(hybrid, 10, CancellationToken.None, groups, maxPerGroup: 2, excluded: excluded);
        using (Assert.EnterMultipleScope())
        {
            for (var u = 1; u < input.UserCount; u += 5)
            {
                Assert.That(all[u], Is.EqualTo(ModelRanking.Top(hybrid, u, 10, groups, 2)), $"user {u}");
            }

            Assert.That(all[0].Select(r => r.Item), Does.Not.Contain(firstOfUser0));
            Assert.That(all[0], Is.Not.Empty);
        }
    }

    [Test]
    public void Item_graph_explains_many_items_in_one_walk_exactly_as_one_at_a_time()
    {
        var input = Input();
        foreach (var model in new IRecommenderModel[] { new ItemKnnModel(), new Rp3BetaModel() })
        {
            var trained = model.Fit(input, CancellationToken.None);
            const int user = 3;
            int[] items = [.. ModelRanking.Top(trained, user, 8).Select(r => r.Item), input.ItemsOf(user)[0]];
            items = [.. items, items[0]];
            var together = trained.ExplainAll(user, items);
            var alone = items.Select(i => trained.Explain(user, i)).ToArray();
            Assert.That(together, Is.EqualTo(alone).Using<ModelExplanation>((a, b) => a.Method == b.Method && a.Evidence.SequenceEqual(b.Evidence)),
                model.Name);
        }
    }

    [Test]
    public void Hybrid_explains_each_item_with_its_component_shares_then_the_leading_components_reasons()
    {
        var input = Input();
        var settings = new HybridModel([new Rp3BetaModel(), new AlsModel { Factors = 8, Iterations = 5 }]);
        var hybrid = Fixed(input, settings, [0.5, 1]);
        const int user = 4;
        var items = ModelRanking.Top(hybrid, user, 6).Select(r => r.Item).ToArray();
        var explained = hybrid.ExplainAll(user, items);
        using (Assert.EnterMultipleScope())
        {
            for (var n = 0; n < items.Length; n++)
            {
                var shares = explained[n].Evidence.TakeWhile(e => e.Kind == EvidenceKind.Component).ToList();
                Assert.That(shares.Sum(e => e.Contribution), Is.EqualTo(1).Within(1e-9));
                var leader = hybrid.Components[shares[0].Id];
                Assert.That(explained[n].Evidence.Skip(shares.Count), Is.EqualTo(leader.Explain(user, items[n]).Evidence));
            }
        }
    }

    [Test]
    public void Tuning_fits_on_a_sample_of_at_most_max_tuning_users_and_the_refit_on_everyone()
    {
        var input = Input();
        var spy = new SpyModel("spy");
        var trained = new HybridModel([new Rp3BetaModel(), spy]) { MaxTuningUsers = 40 }.Train(input, CancellationToken.None);
        int Holding(ModelInput fitted) => Enumerable.Range(0, fitted.UserCount).Count(u => !fitted.ItemsOf(u).IsEmpty);
        var fits = spy.Inputs.ToArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(input.UserCount, Is.GreaterThan(40));
            Assert.That(fits, Has.Length.EqualTo(2));
            Assert.That(fits.Count(f => Holding(f) <= 40), Is.EqualTo(1), "the tuning fit sees the sample only");
            Assert.That(fits.Count(f => ReferenceEquals(f, input)), Is.EqualTo(1), "the refit sees every user");
            Assert.That(trained.Tuning.ValidationUsers, Is.InRange(1, 40));
        }
    }

    [Test]
    public void Ranking_and_explaining_in_one_call_gives_the_same_lists_and_reasons_as_the_two_calls()
    {
        var input = Input();
        var groups = Enumerable.Range(0, input.ItemCount).Select(i => (long)(i / 3)).ToArray();
        var excluded = new Dictionary<int, int[]> { [2] = [.. ModelRanking.Top(new Rp3BetaModel().Fit(input, CancellationToken.None), 2, 2).Select(r => r.Item)] };
        var models = new ITrainedModel[]
        {
            ModelCatalogue.Hybrid().Train(input, CancellationToken.None),
            new AlsModel { Factors = 8, Iterations = 5 }.Fit(input, CancellationToken.None),
        };
        static bool Same(ModelExplanation a, ModelExplanation b) => a.Method == b.Method && a.Evidence.SequenceEqual(b.Evidence);
        using (Assert.EnterMultipleScope())
        {
            foreach (var model in models)
            {
                var lists = ModelRanking.TopAll(model, 10, CancellationToken.None, groups, 2, excluded: excluded);
                var together = ModelRanking.TopAllExplained(model, 10, CancellationToken.None, groups, 2, excluded: excluded, explain: 4);
                for (var u = 0; u < input.UserCount; u += 9)
                {
                    Assert.That(together[u].Items, Is.EqualTo(lists[u]), $"{model.Name}, user {u}");
                    var alone = model.ExplainAll(u, [.. lists[u].Take(4).Select(r => r.Item)]);
                    Assert.That(together[u].Reasons, Is.EqualTo(alone).Using<ModelExplanation>(Same), $"{model.Name}, user {u}");
                }
            }
        }
    }
}
