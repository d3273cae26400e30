using Tastebuds.Core;
using Tastebuds.Core.Models;

namespace Tastebuds.Tests.Core;

public class AlsModelTests
{
    // Two blocks: users 0–4 play items 0–3, users 5–9 play items 4–7. The preference matrix has rank 2.
    private static ModelInput Blocks(params (int User, int Item)[] hidden)
    {
        var rows = new List<Interaction>();
        for (var u = 0; u < 10; u++)
        {
            var block = u < 5 ? 0 : 4;
            for (var i = block; i < block + 4; i++)
            {
                if (!hidden.Contains((u, i)))
                {
                    rows.Add(new Interaction(u, ItemKind.Artist, i, 1 + u + i, false));
                }
            }
        }

        return new ModelInput(InteractionMatrix.Build(rows), ItemKind.Artist);
    }

    [Test]
    public void Als_with_unit_confidence_converges_to_the_rank_two_preference_matrix()
    {
        var model = new AlsModel { Factors = 2, Alpha = 0, Regularization = 0.001, Iterations = 30, MaxDegreeOfParallelism = 1 }
            .Train(Blocks(), CancellationToken.None);
        var worst = 0.0;
        for (var u = 0; u < 10; u++)
        {
            for (var i = 0; i < 8; i++)
            {
                var preference = (u < 5) == (i < 4) ? 1.0 : 0.0;
                worst = Math.Max(worst, Math.Abs(model.Predict(u, i) - preference));
            }
        }

        Assert.That(worst, Is.LessThan(0.01));
    }

    [Test]
    public void Als_error_shrinks_with_more_iterations()
    {
        double Error(int iterations)
        {
            var m = new AlsModel { Factors = 2, Alpha = 0, Regularization = 0.001, Iterations = iterations, MaxDegreeOfParallelism = 1 }
                .Train(Blocks(), CancellationToken.None);
            return Enumerable.Range(0, 10).SelectMany(u => Enumerable.Range(0, 8)
                .Select(i => Math.Pow(m.Predict(u, i) - ((u < 5) == (i < 4) ? 1.0 : 0.0), 2))).Sum();
        }

        var errors = new[] { 1, 2, 5, 20 }.Select(Error).ToArray();
        Assert.That(errors, Is.Ordered.Descending);
    }

    [Test]
    public void Als_recommends_the_hidden_item_of_the_users_own_block_with_an_explanation_from_its_history()
    {
        var model = new AlsModel { Factors = 4, Alpha = 2, Regularization = 0.1, Iterations = 15 }
            .Train(Blocks((0, 3)), CancellationToken.None);
        var top = ModelRanking.Top(model, 0, 1).Single();
        var explanation = model.Explain(0, 3);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(top.Item, Is.EqualTo(3));
            Assert.That(explanation.Evidence.Select(e => e.Id), Is.SubsetOf(new[] { 0, 1, 2 }));
            Assert.That(explanation.Evidence, Has.Count.EqualTo(3));

            // implicit's explain: the parts add up to the score when x_u solves its normal equations.
            Assert.That(explanation.Evidence.Sum(e => e.Contribution), Is.EqualTo(model.Predict(0, 3)).Within(0.05));
        }
    }

    [Test]
    public void Als_explains_a_whole_list_in_one_batch_exactly_as_each_item_alone_and_its_parts_add_up_to_the_score()
    {
        // 12 factors: not a whole number of vectors, so the padded lanes of the batched solve are exercised.
        var input = new ModelInput(InteractionMatrix.Build(ClusterWorld.Create(40, seed: 6)), ItemKind.Track);
        var model = new AlsModel { Factors = 12, Iterations = 12, CgSteps = 12, ExplainItems = 1_000 }.Train(input, CancellationToken.None);
        const int user = 5;
        var listed = ModelRanking.Top(model, user, 19).Select(r => r.Item).ToArray();
        Assume.That(listed, Has.Length.EqualTo(19));

        var batch = model.ExplainAll(user, listed);
        using (Assert.EnterMultipleScope())
        {
            for (var n = 0; n < listed.Length; n++)
            {
                Assert.That(batch[n].Evidence, Is.EqualTo(model.Explain(user, listed[n]).Evidence), $"item {listed[n]}");

                // implicit's explain: with x_u the solution of its normal equations (CG for as many steps as factors, but
                // against the Y of the iteration before the last: ≈ 0.3 % off here), the parts over the whole history add up
                // to the score.
                var score = model.Predict(user, listed[n]);
                Assert.That(batch[n].Evidence.Sum(e => e.Contribution), Is.EqualTo(score).Within(0.01 * Math.Max(1, Math.Abs(score))));
            }

            Assert.That(batch[0].Evidence, Has.Count.EqualTo(input.ItemsOf(user).Length), "one part per history item");
        }
    }

    [Test]
    public void Als_block_scoring_equals_the_dot_product_for_every_item_including_a_partial_last_block()
    {
        var input = new ModelInput(InteractionMatrix.Build(ClusterWorld.Create(10, seed: 2)), ItemKind.Track);
        Assume.That(input.ItemCount % System.Numerics.Vector<float>.Count, Is.Not.Zero, "the world should end in a partial block");
        var model = new AlsModel { Factors = 12, Iterations = 3 }.Train(input, CancellationToken.None);
        var scores = new double[input.ItemCount];
        model.Score(3, scores);
        Assert.That(scores, Is.EqualTo(Enumerable.Range(0, input.ItemCount).Select(i => model.Predict(3, i))).Within(1e-5));
    }

    [Test]
    public void Als_top_lists_in_batches_equal_the_lists_one_user_at_a_time()
    {
        var input = new ModelInput(InteractionMatrix.Build(ClusterWorld.Create(10, seed: 4)), ItemKind.Track);
        var model = new AlsModel { Factors = 16, Iterations = 3 }.Train(input, CancellationToken.None);
        var batched = ModelRanking.TopAll(model, 10, CancellationToken.None);
        Assert.That(input.UserCount, Is.GreaterThan(ModelRanking.BatchSize), "several batches, the last one partial");
        for (var u = 0; u < input.UserCount; u++)
        {
            Assert.That(batched[u], Is.EqualTo(ModelRanking.Top(model, u, 10)), $"user {u}");
        }
    }

    [Test]
    public void Als_gives_an_item_and_a_user_without_interactions_exactly_zero_factors()
    {
        // As the hybrid's tuning carve: user 0 emptied, and item 7 left without a holder (its holders' rows removed).
        var full = Blocks();
        var slice = full.Matrix.Slice(ItemKind.Artist);
        var removed = new bool[slice.Items.Length];
        for (var u = 0; u < full.UserCount; u++)
        {
            for (var e = slice.UserOffsets[u]; e < slice.UserOffsets[u + 1]; e++)
            {
                removed[e] = u == 0 || slice.Items[e] == 7;
            }
        }

        var input = new ModelInput(full.Matrix.Without(ItemKind.Artist, removed), ItemKind.Artist);
        Assume.That(input.Matrix.HoldersOf(ItemKind.Artist, 7).Length, Is.Zero);
        var model = new AlsModel { Factors = 4, Iterations = 5 }.Train(input, CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(model.ItemVector(7).ToArray(), Is.All.EqualTo(0f), "an item no one holds");
            Assert.That(model.UserVector(0).ToArray(), Is.All.EqualTo(0f), "a user with no items");
            Assert.That(model.ItemVector(6).ToArray(), Has.Some.Not.EqualTo(0f), "an item someone holds");
        }
    }

    [Test]
    public void Als_fits_the_same_factors_bit_for_bit_every_time_whatever_the_threads_finish_order()
    {
        // 30,000 items: the Gram matrix YᵀY is summed in several blocks of rows, on more workers than this machine has
        // cores, so the blocks finish in a different order from fit to fit (their sums were once added in that order).
        var random = new Random(5);
        var rows = new List<Interaction>();
        for (var u = 0; u < 3_000; u++)
        {
            foreach (var i in Enumerable.Range(0, 20).Select(_ => random.Next(30_000)).Distinct())
            {
                rows.Add(new Interaction(u, ItemKind.Track, i, 1 + random.Next(50), false));
            }
        }

        var input = new ModelInput(InteractionMatrix.Build(rows), ItemKind.Track);
        float[] Factors()
        {
            var model = new AlsModel { Factors = 16, Iterations = 2, MaxDegreeOfParallelism = 8 }.Train(input, CancellationToken.None);
            return [.. Enumerable.Range(0, input.UserCount).SelectMany(u => model.UserVector(u).ToArray()),
                .. Enumerable.Range(0, input.ItemCount).SelectMany(i => model.ItemVector(i).ToArray())];
        }

        var first = Factors();
        for (var fit = 0; fit < 4; fit++)
        {
            Assert.That(Factors(), Is.EqualTo(first).AsCollection, $"fit {fit + 2}");
        }
    }
}
