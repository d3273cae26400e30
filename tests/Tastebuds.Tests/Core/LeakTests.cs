using Tastebuds.Core;
using Tastebuds.Core.Evaluation;
using Tastebuds.Core.Models;

namespace Tastebuds.Tests.Core;

/// <summary>No model, and no tuning, may see a test item: each test fails if the split leaks.</summary>
public class LeakTests
{
    private static InteractionMatrix World() =>
        InteractionMatrix.Build(ClusterWorld.Create(30, seed: 3).Select(r => r with { Kind = ItemKind.Artist }));

    /// <summary>Every user tags every item they hold with tag (item mod 3), and users 2k and 2k+1 are friends.</summary>
    private static SideSignals Side(InteractionMatrix matrix)
    {
        var tags = new List<TagRow>();
        var friends = new List<FriendRow>();
        for (var u = 0; u < matrix.UserCount; u++)
        {
            foreach (var i in matrix.ItemsOf(u, ItemKind.Artist))
            {
                tags.Add(new TagRow(matrix.UserId(u), matrix.ItemId(ItemKind.Artist, i), i % 3));
            }

            friends.Add(new FriendRow(matrix.UserId(u), matrix.UserId(u ^ 1)));
        }

        return SideSignals.Create(matrix, ItemKind.Artist, tags, friends);
    }

    private static void AssertNoTestItemIn(ModelInput input, HoldoutSplit split)
    {
        foreach (var u in split.EvaluatedUsers)
        {
            var own = input.ItemsOf(u).ToArray();
            Assert.That(own.Intersect(split.TestItems(u)), Is.Empty, $"user {u}'s test items are in a fitted input");
            var tagged = input.Side.Tags.Where(t => t.User == u).Select(t => t.Item);
            Assert.That(tagged.Intersect(split.TestItems(u)), Is.Empty, $"user {u}'s tags on test items are in a fitted input");
        }
    }

    [Test]
    public void The_holdout_keeps_each_users_test_items_out_of_train_and_loses_nothing()
    {
        var full = World();
        var split = HoldoutSplit.Create(full, ItemKind.Artist, 0.2, 5, 42);
        foreach (var u in split.EvaluatedUsers)
        {
            var train = split.Train.ItemsOf(u, ItemKind.Artist).ToArray();
            Assert.That(train.Intersect(split.TestItems(u)), Is.Empty);
            Assert.That(train.Concat(split.TestItems(u)).Order(), Is.EqualTo(full.ItemsOf(u, ItemKind.Artist).ToArray()));
        }
    }

    [Test]
    public void Every_model_is_fitted_without_the_test_items_or_the_tags_on_them()
    {
        var full = World();
        var spy = new SpyModel("spy");
        var result = ModelEvaluation.Run(full, Side(full), new EvaluationOptions { Kind = ItemKind.Artist }, [spy], false, CancellationToken.None);
        var input = spy.Inputs.Single();
        Assert.That(input.Side.Tags, Is.Not.Empty);
        AssertNoTestItemIn(input, result.Split);
    }

    [Test]
    public void The_validation_run_fits_without_the_test_items_and_without_the_validation_items()
    {
        var full = World();
        var options = new EvaluationOptions { Kind = ItemKind.Artist };
        var spy = new SpyModel("spy");
        var result = ModelEvaluation.Run(full, Side(full), options, [spy], true, CancellationToken.None);
        var test = HoldoutSplit.Create(full, ItemKind.Artist, options.HoldoutFraction, options.MinItemsToEvaluate, options.Seed);
        var input = spy.Inputs.Single();
        AssertNoTestItemIn(input, test);
        AssertNoTestItemIn(input, result.Split);
        foreach (var u in result.Split.EvaluatedUsers)
        {
            Assert.That(result.Split.TestItems(u).Intersect(test.TestItems(u)), Is.Empty, "validation targets come from train only");
        }
    }

    [Test]
    public void The_hybrid_tunes_and_fits_its_components_without_the_test_items()
    {
        var full = World();
        var spy = new SpyModel("spy");
        var result = ModelEvaluation.Run(full, Side(full), new EvaluationOptions { Kind = ItemKind.Artist },
            [new HybridModel([spy, new ItemKnnModel()])], false, CancellationToken.None);
        Assert.That(spy.Inputs, Has.Count.EqualTo(2), "once on the validation split, once on train");
        foreach (var input in spy.Inputs)
        {
            AssertNoTestItemIn(input, result.Split);
        }
    }
}
