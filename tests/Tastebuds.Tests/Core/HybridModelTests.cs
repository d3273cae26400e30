using Tastebuds.Core;
using Tastebuds.Core.Evaluation;
using Tastebuds.Core.Models;

namespace Tastebuds.Tests.Core;

public class HybridModelTests
{
    private static InteractionMatrix World() =>
        InteractionMatrix.Build(ClusterWorld.Create(30, seed: 5).Select(r => r with { Kind = ItemKind.Artist }));

    [Test]
    public void Hybrid_weights_come_from_the_validation_split_only_so_an_oracle_of_the_test_items_gets_none()
    {
        // The oracle scores exactly the test items. Tuned on test it would take all the weight; on a validation
        // split carved from train its items are never the targets, so it can only hurt and must get weight 0.
        var full = World();
        var test = HoldoutSplit.Create(full, ItemKind.Artist, 0.2, 5, 42);
        var oracle = new SpyModel("oracle") { Oracle = test.TestItems };
        var hybrid = new HybridModel([new ItemKnnModel(), oracle]);
        var trained = hybrid.Train(new ModelInput(test.Train, ItemKind.Artist), CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(trained.Tuning.Weights[1], Is.Zero);
            Assert.That(trained.Tuning.Weights[0], Is.GreaterThan(0));
        }
    }

    [Test]
    public void Hybrid_tuning_on_a_split_whose_validation_targets_the_oracle_knows_does_weigh_the_oracle()
    {
        // The counter-check: the same search, given the oracle's items as validation targets, finds it. So the
        // test above fails if the tuning ever sees test items.
        var full = World();
        var hybrid = new HybridModel([new ItemKnnModel(), new SpyModel("oracle")]);
        var validation = HoldoutSplit.Create(full, ItemKind.Artist, hybrid.ValidationFraction, hybrid.MinItemsToValidate, hybrid.ValidationSeed);
        var cheat = hybrid with { Components = [new ItemKnnModel(), new SpyModel("oracle") { Oracle = validation.TestItems }] };
        var tuning = cheat.Tune(new ModelInput(full, ItemKind.Artist), CancellationToken.None);
        Assert.That(tuning.Weights[1], Is.GreaterThan(0));
    }

    [Test]
    public void Hybrid_scores_are_the_weighted_sum_of_per_user_max_scaled_components_and_explain_each_share()
    {
        var input = new ModelInput(World(), ItemKind.Artist);
        var trained = new HybridModel([new ItemKnnModel(), new Rp3BetaModel()]).Train(input, CancellationToken.None);
        var top = ModelRanking.Top(trained, 0, 1).Single();
        var explanation = trained.Explain(0, top.Item);
        var shares = explanation.Evidence.Where(e => e.Kind == EvidenceKind.Component).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(top.Score, Is.LessThanOrEqualTo(trained.Tuning.Weights.Sum() + 1e-12));
            Assert.That(shares.Sum(s => s.Contribution), Is.EqualTo(1).Within(1e-9));
            Assert.That(shares.Select(s => s.Component), Is.SubsetOf(new[] { ItemKnnModel.MethodName, Rp3BetaModel.MethodName }));
            Assert.That(explanation.Evidence.Any(e => e.Kind == EvidenceKind.Item), Is.True, "the largest component says why");
        }
    }
}
