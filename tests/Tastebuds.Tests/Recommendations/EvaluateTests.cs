using Tastebuds.Core.Evaluation;
using Tastebuds.Worker.Recommendations;
using Tastebuds.Worker.Similarity;

namespace Tastebuds.Tests.Recommendations;

public sealed class EvaluateTests
{
    [Test]
    public void Evaluate_on_a_generated_world_with_taste_clusters_beats_most_popular_on_ndcg()
    {
        var data = EvaluationSources.FromSandbox(users: 200, seed: 5);

        var report = EvaluationRunner.Run(data, new AlgorithmOptions(), holdout: 0.2, cutOff: 10, seed: 42, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(data.Rows.Select(r => r.Kind).Distinct().Count(), Is.EqualTo(3), "tracks, albums and artists");
            Assert.That(report.EvaluatedUsers, Is.GreaterThan(150));
            Assert.That(report["cosine"].Ndcg, Is.GreaterThan(2 * report[OfflineEvaluation.MostPopular].Ndcg));
            Assert.That(report.BestNdcgOverBaseline, Is.GreaterThan(2));
        }
    }
}
