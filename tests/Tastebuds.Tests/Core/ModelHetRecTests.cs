using Tastebuds.Core;
using Tastebuds.Core.Evaluation;
using Tastebuds.Core.HetRec;
using Tastebuds.Core.Models;
using Tastebuds.Tests.Support;

namespace Tastebuds.Tests.Core;

/// <summary>The production-default candidate (the hybrid) on HetRec, beside <see cref="HetRecTests"/>' user-kNN test.</summary>
public class ModelHetRecTests
{
    private static (InteractionMatrix, SideSignals) HetRec()
    {
        var folder = SharedData.RequireHetRec();
        using var artists = new StreamReader(Path.Combine(folder, "user_artists.dat"));
        using var tags = new StreamReader(Path.Combine(folder, "user_taggedartists.dat"));
        using var friends = new StreamReader(Path.Combine(folder, "user_friends.dat"));
        var matrix = InteractionMatrix.Build(HetRecReader.ReadUserArtists(artists).Select(r => r.ToInteraction()));
        var side = SideSignals.Create(matrix, ItemKind.Artist, HetRecReader.ReadUserTaggedArtists(tags), HetRecReader.ReadUserFriends(friends));
        return (matrix, side);
    }

    [Test]
    public void Reader_finds_every_tag_assignment_and_friendship()
    {
        var folder = SharedData.RequireHetRec();
        using var tags = new StreamReader(Path.Combine(folder, "user_taggedartists.dat"));
        using var friends = new StreamReader(Path.Combine(folder, "user_friends.dat"));
        var tagRows = HetRecReader.ReadUserTaggedArtists(tags);
        var friendRows = HetRecReader.ReadUserFriends(friends);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(tagRows, Has.Count.EqualTo(186_479));
            Assert.That(tagRows[0], Is.EqualTo(new TagRow(2, 52, 13)));
            Assert.That(friendRows, Has.Count.EqualTo(25_434));
            Assert.That(friendRows[0], Is.EqualTo(new FriendRow(2, 275)));
        }
    }

    [Test]
    public void Default_candidate_hybrid_reaches_two_and_a_half_times_most_popular_and_the_issue_target_on_hetrec()
    {
        var (matrix, side) = HetRec();
        var result = ModelEvaluation.Run(matrix, side, new EvaluationOptions { Kind = ItemKind.Artist }, [ModelCatalogue.Hybrid()],
            validation: false, CancellationToken.None);
        var report = result.Report;
        TestContext.Out.WriteLine(report.ToMarkdown(10));
        var hybrid = (HybridTrained)result.Fitted.Single();
        TestContext.Out.WriteLine(string.Join(", ", hybrid.Tuning.Components.Zip(hybrid.Tuning.Weights)));

        var user = result.Split.EvaluatedUsers[0];
        var top = ModelRanking.Top(hybrid, user, 10);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.EvaluatedUsers, Is.EqualTo(1_877));
            Assert.That(report[HybridModel.MethodName].Ndcg, Is.GreaterThanOrEqualTo(2.5 * report[OfflineEvaluation.MostPopular].Ndcg));

            // Seed 42 measured 0.2545 (docs/evaluation.md); the issue's target for the mean of three seeds is 0.240.
            Assert.That(report[HybridModel.MethodName].Ndcg, Is.GreaterThanOrEqualTo(0.240));
            Assert.That(top, Has.Length.EqualTo(10));
            Assert.That(top.Select(r => hybrid.Explain(user, r.Item).Evidence), Has.All.Not.Empty, "every row can be explained");
        }
    }
}
