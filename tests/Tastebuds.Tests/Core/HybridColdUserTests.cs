using Tastebuds.Core;
using Tastebuds.Core.Models;

namespace Tastebuds.Tests.Core;

/// <summary>A user with none of the recommended kind: iALS has nothing to say, friends still do.</summary>
public class HybridColdUserTests
{
    private const long Cold = 9_999;

    /// <summary>The cluster world's artists, plus a user who holds one track and no artist, friends of users 0 and 1.</summary>
    private static ModelInput Input()
    {
        var rows = ClusterWorld.Create(30, seed: 5).Select(r => r with { Kind = ItemKind.Artist }).ToList();
        rows.Add(new Interaction(Cold, ItemKind.Track, 1, 10, false));
        var matrix = InteractionMatrix.Build(rows);
        var side = SideSignals.Create(matrix, ItemKind.Artist, null,
            [new FriendRow(Cold, matrix.UserId(0)), new FriendRow(Cold, matrix.UserId(1))]);
        return new ModelInput(matrix, ItemKind.Artist, side);
    }

    [Test]
    public void Als_gives_a_user_with_none_of_the_kind_no_scores_at_all()
    {
        var input = Input();
        input.Matrix.TryGetUser(Cold, out var cold);
        var scores = new double[input.ItemCount];

        new AlsModel { Factors = 8 }.Fit(input, CancellationToken.None).Score(cold, scores);

        Assert.That(scores, Has.All.EqualTo(0.0));
    }

    [Test]
    public void A_user_the_tuned_weights_cannot_serve_gets_the_friends_items_from_the_component_tuned_to_zero()
    {
        var input = Input();
        input.Matrix.TryGetUser(Cold, out var cold);
        // No pass: the best single component, and friends alone score nothing for the validation users (none has friends).
        var trained = new HybridModel([new AlsModel { Factors = 8 }, new FriendModel()]) { Passes = 0 }.Train(input, CancellationToken.None);
        var friendsItems = input.ItemsOf(0).ToArray().Union(input.ItemsOf(1).ToArray()).ToHashSet();

        var top = ModelRanking.Top(trained, cold, 10);
        var explanations = trained.ExplainAll(cold, [.. top.Select(r => r.Item)]);

        Assert.That(trained.Tuning.Weights, Is.EqualTo(new[] { 1.0, 0.0 }), "the tuning left friends at 0");
        Assert.That(top, Has.Length.EqualTo(10));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(top.Select(r => r.Item), Is.SubsetOf(friendsItems));
            foreach (var explanation in explanations)
            {
                var share = explanation.Evidence.Single(e => e.Kind == EvidenceKind.Component);
                Assert.That((share.Component, share.Contribution), Is.EqualTo((FriendModel.MethodName, 1.0)));
                Assert.That(explanation.Evidence.Where(e => e.Kind == EvidenceKind.Friend).Select(e => e.Id), Is.Not.Empty.And.SubsetOf(new[] { 0, 1 }));
            }

            Assert.That(ModelRanking.Top(trained, 2, 10).Select(r => trained.Explain(2, r.Item).Evidence[0].Component), Has.All.EqualTo(AlsModel.MethodName),
                "a user with a history keeps the tuned blend");
        }
    }
}
