using Tastebuds.Core;
using Tastebuds.Core.Models;

namespace Tastebuds.Tests.Core;

public class ItemGraphModelTests
{
    // u0 {0,1}, u1 {0,1,2}, u2 {1,2}, u3 {2,3}, every weight 1 (one play, raw weighting).
    private static ModelInput Input() => new(Fixture.Matrix(Fixture.Raw,
        Fixture.Artists(0, (0, 1), (1, 1)),
        Fixture.Artists(1, (0, 1), (1, 1), (2, 1)),
        Fixture.Artists(2, (1, 1), (2, 1)),
        Fixture.Artists(3, (2, 1), (3, 1))), ItemKind.Artist);

    private static double[] Scores(ITrainedModel model, int user)
    {
        var scores = new double[model.Input.ItemCount];
        model.Score(user, scores);
        return scores;
    }

    [Test]
    public void Item_knn_scores_are_sums_of_cosine_similarities_to_the_users_items()
    {
        var model = new ItemKnnModel { Shrink = 0 }.Fit(Input(), CancellationToken.None);
        var graph = ((ItemGraphModel)model).Graph;

        // Item columns over users: i0 (1,1,0,0), i1 (1,1,1,0), i2 (0,1,1,1), i3 (0,0,0,1).
        using (Assert.EnterMultipleScope())
        {
            Assert.That(graph.Weight(0, 1), Is.EqualTo(2 / Math.Sqrt(6)).Within(1e-6));
            Assert.That(graph.Weight(0, 2), Is.EqualTo(1 / Math.Sqrt(6)).Within(1e-6));
            Assert.That(graph.Weight(1, 2), Is.EqualTo(2.0 / 3).Within(1e-6));
            Assert.That(graph.Weight(2, 3), Is.EqualTo(1 / Math.Sqrt(3)).Within(1e-6));
            Assert.That(graph.Weight(0, 3), Is.Zero);
            Assert.That(graph.NeighboursOf(0).ToArray(), Is.EqualTo(new[] { 1, 2 }), "best first, never the item itself");

            // u2 plays 1 and 2: s(0) = W(1,0) + W(2,0), s(3) = W(2,3).
            var scores = Scores(model, 2);
            Assert.That(scores[0], Is.EqualTo(3 / Math.Sqrt(6)).Within(1e-6));
            Assert.That(scores[3], Is.EqualTo(1 / Math.Sqrt(3)).Within(1e-6));
            Assert.That(ModelRanking.Top(model, 2, 10).Select(r => r.Item), Is.EqualTo(new[] { 0, 3 }), "own items never come back");
        }
    }

    [Test]
    public void Item_knn_keeps_only_the_top_k_neighbours_and_shrinks()
    {
        var model = (ItemGraphModel)new ItemKnnModel { Neighbours = 1, Shrink = 1 }.Fit(Input(), CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(model.Graph.NeighboursOf(1).ToArray(), Is.EqualTo(new[] { 0 }), "W(1,0) = 2/(√6 + 1) beats W(1,2) = 2/(3 + 1)");
            Assert.That(model.Graph.Weight(1, 0), Is.EqualTo(2 / (Math.Sqrt(6) + 1)).Within(1e-6));
            Assert.That(model.Graph.Weight(1, 2), Is.Zero, "pruned");
        }
    }

    [Test]
    public void Rp3beta_scores_follow_the_three_step_walk_with_popularity_divided_out()
    {
        // α = 0.5, β = 0.5. Degrees: items 2, 3, 3, 1; users 2, 3, 2, 2.
        var model = new Rp3BetaModel { Alpha = 0.5, Beta = 0.5 }.Fit(Input(), CancellationToken.None);
        var scores = Scores(model, 2);

        // W(1,0) = [√(1/3·1/2) + √(1/3·1/3)] / √2 (via u0 and u1); W(2,0) = √(1/3·1/3) / √2 (via u1).
        var expected0 = ((1 / Math.Sqrt(6)) + (2.0 / 3)) / Math.Sqrt(2);

        // W(2,3) = √(1/3·1/2) / √1 (via u3); W(1,3) = 0.
        var expected3 = 1 / Math.Sqrt(6);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(scores[0], Is.EqualTo(expected0).Within(1e-6));
            Assert.That(scores[3], Is.EqualTo(expected3).Within(1e-6));
        }
    }

    [Test]
    public void Rp3beta_with_alpha_one_and_beta_zero_is_the_plain_random_walk()
    {
        var model = (ItemGraphModel)new Rp3BetaModel { Alpha = 1, Beta = 0 }.Fit(Input(), CancellationToken.None);

        // W(1,0) = 1/3·1/2 (u0) + 1/3·1/3 (u1) = 5/18.
        Assert.That(model.Graph.Weight(1, 0), Is.EqualTo(5.0 / 18).Within(1e-6));
    }

    [Test]
    public void Item_knn_explains_with_the_users_items_that_contribute_most()
    {
        var model = new ItemKnnModel { Shrink = 0 }.Fit(Input(), CancellationToken.None);
        var explanation = model.Explain(2, 0);
        var names = new[] { "Air", "Bach", "Cher", "Dido" };
        using (Assert.EnterMultipleScope())
        {
            Assert.That(explanation.Evidence.Select(e => e.Id), Is.EqualTo(new[] { 1, 2 }));
            Assert.That(explanation.Evidence.Sum(e => e.Contribution), Is.EqualTo(3 / Math.Sqrt(6)).Within(1e-6), "the parts add up to the score");
            Assert.That(explanation.ToText((_, id) => names[id]),
                Is.EqualTo("because you play Bach (similarity 0.82); because you play Cher (similarity 0.41)"));
        }
    }
}
