using Tastebuds.Core;
using Tastebuds.Core.Models;

namespace Tastebuds.Tests.Core;

/// <summary>The recommendation stage's streamed ranking (<see cref="ModelRanking.ExplainedBlocks{T}"/>) against the two calls it replaces.</summary>
public class ModelRankingBlockTests
{
    private static ModelInput Input() =>
        new(InteractionMatrix.Build(ClusterWorld.Create(30, seed: 5).Select(r => r with { Kind = ItemKind.Artist })), ItemKind.Artist);

    private static bool Same(ModelExplanation a, ModelExplanation b) => a.Method == b.Method && a.Evidence.SequenceEqual(b.Evidence);

    [Test]
    public void Blocks_of_users_give_every_user_once_in_order_with_the_lists_of_TopAll_and_the_reasons_of_ExplainAll()
    {
        var input = Input();
        var groups = Enumerable.Range(0, input.ItemCount).Select(i => (long)(i / 3)).ToArray();
        var excluded = new Dictionary<int, int[]> { [2] = [.. ModelRanking.Top(new Rp3BetaModel().Fit(input, CancellationToken.None), 2, 2).Select(r => r.Item)] };
        var models = new ITrainedModel[]
        {
            ModelCatalogue.Hybrid().Train(input, CancellationToken.None),
            new AlsModel { Factors = 8, Iterations = 5 }.Fit(input, CancellationToken.None),
            new Rp3BetaModel().Fit(input, CancellationToken.None),
        };
        using (Assert.EnterMultipleScope())
        {
            foreach (var model in models)
            {
                var lists = ModelRanking.TopAll(model, 10, CancellationToken.None, groups, 2, excluded: excluded);
                // 7 users a block: blocks end inside the iALS batches of 16, and the last block is short.
                var blocks = ModelRanking.ExplainedBlocks(model, 10, 7, (u, list) => (User: u, List: list), CancellationToken.None, groups, 2,
                    excluded: excluded).ToList();
                var streamed = blocks.SelectMany(b => b).ToList();
                Assert.That(blocks.Select(b => b.Length), Has.All.InRange(1, 7), model.Name);
                Assert.That(streamed.Select(s => s.User), Is.EqualTo(Enumerable.Range(0, input.UserCount)), $"{model.Name}: every user once, in order");
                Assert.That(lists.Count(l => l.Length > 0), Is.GreaterThan(input.UserCount / 2), $"{model.Name} recommends to most users");
                foreach (var (u, list) in streamed)
                {
                    Assert.That(list.Items, Is.EqualTo(lists[u]), $"{model.Name}, user {u}");
                    var alone = model.ExplainAll(u, [.. lists[u].Select(r => r.Item)]);
                    Assert.That(list.Reasons, Is.EqualTo(alone).Using<ModelExplanation>(Same), $"{model.Name}, user {u}");
                }
            }
        }
    }

    [Test]
    public void A_cancelled_enumeration_stops_at_the_next_block()
    {
        var input = Input();
        var model = new Rp3BetaModel().Fit(input, CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var seen = 0;
        var blocks = ModelRanking.ExplainedBlocks(model, 10, 5, (u, _) => u, stop.Token);
        Assert.That(() =>
        {
            foreach (var block in blocks)
            {
                seen += block.Length;
                stop.Cancel();
            }
        }, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(seen, Is.EqualTo(5));
    }
}
