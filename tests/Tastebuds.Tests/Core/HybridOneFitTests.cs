using Tastebuds.Core;
using Tastebuds.Core.Evaluation;
using Tastebuds.Core.Models;

namespace Tastebuds.Tests.Core;

/// <summary>
/// The hybrid's one fit (<see cref="HybridModel.OneFitMaxHoldoutShare"/>): the components fitted once on the input
/// without the validation holdout, tuned on it, and production served from it.
/// </summary>
public class HybridOneFitTests
{
    private static InteractionMatrix World() =>
        InteractionMatrix.Build(ClusterWorld.Create(30, seed: 5).Select(r => r with { Kind = ItemKind.Artist }));

    /// <summary>A small world's holdout is a large share of it: the one fit is forced with a threshold of 1.</summary>
    private static HybridModel OneFit(params IRecommenderModel[] components) => new(components) { OneFitMaxHoldoutShare = 1 };

    [Test]
    public void A_validation_holdout_under_the_threshold_is_served_from_the_tuning_fit_and_one_over_it_is_refitted()
    {
        var input = new ModelInput(World(), ItemKind.Artist);
        var oneFit = OneFit(new AlsModel(), new Rp3BetaModel()).Train(input, CancellationToken.None);
        var refit = new HybridModel([new AlsModel(), new Rp3BetaModel()]).Train(input, CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(oneFit.Tuning.OneFit, Is.True);
            Assert.That(oneFit.ServedFromTuningFit, Is.EquivalentTo(Validated(input, oneFit.Tuning)));
            Assert.That(oneFit.Components.Select(c => c.Input), Is.All.SameAs(input), "production is served on the whole input");
            Assert.That(refit.Tuning.OneFit, Is.False, "every user validates here: the holdout is ≈ 20 % of the input");
            Assert.That(refit.Tuning.HoldoutShare, Is.GreaterThan(new HybridModel([]).OneFitMaxHoldoutShare));
            Assert.That(refit.ServedFromTuningFit, Is.Empty);
        }
    }

    [Test]
    public void The_one_fit_never_recommends_an_item_the_user_has_not_even_a_validation_users_held_out_item()
    {
        var input = new ModelInput(World(), ItemKind.Artist);
        var trained = OneFit(new AlsModel(), new Rp3BetaModel()).Train(input, CancellationToken.None);
        Assert.That(trained.ServedFromTuningFit, Is.Not.Empty);
        var lists = ModelRanking.TopAll(trained, 30, CancellationToken.None);
        for (var u = 0; u < input.UserCount; u++)
        {
            Assert.That(lists[u].Select(r => r.Item).Intersect(input.ItemsOf(u).ToArray()), Is.Empty, $"user {u}");
            Assert.That(lists[u], Is.Not.Empty, $"user {u}");
        }
    }

    [Test]
    public void The_one_fits_validation_users_have_the_ials_factors_of_their_whole_rows_with_the_item_factors_fixed()
    {
        var input = new ModelInput(World(), ItemKind.Artist);
        var trained = OneFit(new AlsModel(), new Rp3BetaModel()).Train(input, CancellationToken.None);
        var als = (AlsTrained)trained.Components[0];
        var settings = new AlsModel();
        foreach (var u in trained.ServedFromTuningFit)
        {
            var expected = ExactUserFactors(als, input, u, settings);
            var actual = als.UserVector(u).ToArray();
            for (var d = 0; d < expected.Length; d++)
            {
                Assert.That(actual[d], Is.EqualTo(expected[d]).Within(1e-4 * (1 + Math.Abs(expected[d]))), $"user {u}, factor {d}");
            }
        }
    }

    [Test]
    public void Serving_ials_on_the_whole_input_changes_only_the_named_users_factors()
    {
        var whole = new ModelInput(World(), ItemKind.Artist);
        var split = HoldoutSplit.Create(whole.Matrix, ItemKind.Artist, 0.2, 5, 7, only: [.. Enumerable.Range(0, whole.UserCount).Select(u => u % 10 == 0)]);
        var fitted = new AlsModel().Train(new ModelInput(split.Train, ItemKind.Artist), CancellationToken.None);
        var served = (AlsTrained)((IServableOnWhole)fitted).ServeOn(whole, split.EvaluatedUsers, CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(split.EvaluatedUsers, Is.Not.Empty);
            Assert.That(split.EvaluatedUsers, Is.All.Matches<int>(u => u % 10 == 0), "the split hides items of the named users only");
            for (var u = 0; u < whole.UserCount; u++)
            {
                var same = fitted.UserVector(u).SequenceEqual(served.UserVector(u));
                Assert.That(same, Is.EqualTo(!split.EvaluatedUsers.Contains(u)), $"user {u}");
            }

            Assert.That(Enumerable.Range(0, whole.ItemCount).All(i => fitted.ItemVector(i).SequenceEqual(served.ItemVector(i))), Is.True);
            Assert.That(served.Input, Is.SameAs(whole));
        }
    }

    [Test]
    public void The_one_fit_tunes_without_the_callers_test_items_so_an_oracle_of_them_gets_no_weight()
    {
        var full = World();
        var test = HoldoutSplit.Create(full, ItemKind.Artist, 0.2, 5, 42);
        var oracle = new SpyModel("oracle") { Oracle = test.TestItems };
        var trained = OneFit(new ItemKnnModel(), oracle).Train(new ModelInput(test.Train, ItemKind.Artist), CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(trained.Tuning.OneFit, Is.True);
            Assert.That(trained.Tuning.Weights[1], Is.Zero);
            Assert.That(trained.Tuning.Weights[0], Is.GreaterThan(0));
            foreach (var input in oracle.Inputs)
            {
                foreach (var u in test.EvaluatedUsers)
                {
                    Assert.That(input.ItemsOf(u).ToArray().Intersect(test.TestItems(u)), Is.Empty, $"user {u}'s test items were fitted on");
                }
            }
        }
    }

    [Test]
    public void The_one_fit_given_an_oracle_of_its_own_validation_targets_does_weigh_it_and_fits_it_without_them()
    {
        // The counter-check of the test above: with every user validating, the one fit's split is the plain seeded
        // split, so this oracle knows the validation targets; the tuning finds it, and its tuning fit lacks them.
        var full = World();
        var hybrid = OneFit(new ItemKnnModel(), new SpyModel("oracle"));
        var validation = HoldoutSplit.Create(full, ItemKind.Artist, hybrid.ValidationFraction, hybrid.MinItemsToValidate, hybrid.ValidationSeed);
        var oracle = new SpyModel("oracle") { Oracle = validation.TestItems };
        var trained = (hybrid with { Components = [new ItemKnnModel(), oracle] }).Train(new ModelInput(full, ItemKind.Artist), CancellationToken.None);
        var tuningInput = oracle.Inputs.Single(i => !ReferenceEquals(i.Matrix, full));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(trained.Tuning.Weights[1], Is.GreaterThan(0));
            Assert.That(oracle.Inputs, Has.Count.EqualTo(2), "the tuning fit, then the whole input (a spy cannot be served on it)");
            foreach (var u in validation.EvaluatedUsers)
            {
                Assert.That(tuningInput.ItemsOf(u).ToArray().Intersect(validation.TestItems(u)), Is.Empty, $"user {u}");
            }
        }
    }

    private static IEnumerable<int> Validated(ModelInput input, HybridTuning tuning) =>
        Enumerable.Range(0, input.UserCount).Where(u => input.ItemsOf(u).Length >= 5).Take(tuning.ValidationUsers);

    /// <summary>(YᵀY + λI + Σ_j (c − 1)·y_j y_jᵀ) x = Σ_j c·y_j by Gaussian elimination, in double.</summary>
    private static double[] ExactUserFactors(AlsTrained als, ModelInput input, int user, AlsModel settings)
    {
        var k = als.Factors;
        var a = new double[k, k + 1];
        for (var i = 0; i < input.ItemCount; i++)
        {
            Add(a, als.ItemVector(i).ToArray(), 1);
        }

        for (var d = 0; d < k; d++)
        {
            a[d, d] += settings.Regularization;
        }

        var items = input.ItemsOf(user);
        var weights = input.WeightsOf(user);
        for (var e = 0; e < items.Length; e++)
        {
            var y = als.ItemVector(items[e]).ToArray();
            var c = 1 + ((float)settings.Alpha * (float)weights[e]);
            Add(a, y, c - 1);
            for (var d = 0; d < k; d++)
            {
                a[d, k] += c * y[d];
            }
        }

        for (var p = 0; p < k; p++)
        {
            for (var r = p + 1; r < k; r++)
            {
                var f = a[r, p] / a[p, p];
                for (var c = p; c <= k; c++)
                {
                    a[r, c] -= f * a[p, c];
                }
            }
        }

        var x = new double[k];
        for (var r = k - 1; r >= 0; r--)
        {
            var s = a[r, k];
            for (var c = r + 1; c < k; c++)
            {
                s -= a[r, c] * x[c];
            }

            x[r] = s / a[r, r];
        }

        return x;
    }

    private static void Add(double[,] a, float[] y, double scale)
    {
        for (var r = 0; r < y.Length; r++)
        {
            for (var c = 0; c < y.Length; c++)
            {
                a[r, c] += scale * y[r] * y[c];
            }
        }
    }
}
