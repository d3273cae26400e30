using Tastebuds.Core;
using Tastebuds.Core.Evaluation;
using Tastebuds.Core.HetRec;
using Tastebuds.Core.Models;
using Tastebuds.Tests.Support;
using Tastebuds.Worker.Recommendations;

namespace Tastebuds.Tests.Recommendations;

/// <summary>
/// The production default, exactly as the recommendation stage builds it for a database without personal tags or
/// friendships (<see cref="RecommenderNames.ModelOf"/>: iALS + RP3beta, validation-tuned), on HetRec with the protocol
/// of docs/evaluation.md. Core's HetRec test covers the four-component blend; this one is what production runs.
/// </summary>
public class ProductionHybridHetRecTests
{
    [Test]
    public void The_production_hybrid_without_side_signals_reaches_the_issue_target_and_two_and_a_half_times_most_popular()
    {
        var folder = SharedData.RequireHetRec();
        using var artists = new StreamReader(Path.Combine(folder, "user_artists.dat"));
        var matrix = InteractionMatrix.Build(HetRecReader.ReadUserArtists(artists).Select(r => r.ToInteraction()));
        var model = RecommenderNames.ModelOf(RecommenderNames.Hybrid, SideSignals.None, maxDegreeOfParallelism: -1);

        var result = ModelEvaluation.Run(matrix, SideSignals.None, new EvaluationOptions { Kind = ItemKind.Artist, Seed = 42 }, [model],
            validation: false, CancellationToken.None);
        var report = result.Report;
        var hybrid = (HybridTrained)result.Fitted.Single();
        TestContext.Out.WriteLine(report.ToMarkdown(10));
        TestContext.Out.WriteLine(string.Join(", ", hybrid.Tuning.Components.Zip(hybrid.Tuning.Weights)));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(hybrid.Components.Select(c => c.Name), Is.EqualTo(new[] { AlsModel.MethodName, Rp3BetaModel.MethodName }),
                "the production composition without tags or friends");
            // docs/evaluation.md: 0.2453 at seed 42, 0.2440 over seeds 42, 1 and 2.
            Assert.That(report[HybridModel.MethodName].Ndcg, Is.GreaterThanOrEqualTo(0.240));
            Assert.That(report[HybridModel.MethodName].Ndcg, Is.GreaterThanOrEqualTo(2.5 * report[OfflineEvaluation.MostPopular].Ndcg));
        }
    }
}
