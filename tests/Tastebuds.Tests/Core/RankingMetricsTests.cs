using Tastebuds.Core.Evaluation;

namespace Tastebuds.Tests.Core;

public class RankingMetricsTests
{
    private const double Tolerance = 1e-9;

    [Test]
    public void Metrics_match_hand_computed_values()
    {
        // Hits at ranks 2 and 4 of 5; three relevant items.
        var s = RankingMetrics.Score([5, 1, 7, 3, 9], new HashSet<int> { 1, 3, 4 }, 5);
        var dcg = (1 / Math.Log2(3)) + (1 / Math.Log2(5));
        var idcg = 1 + (1 / Math.Log2(3)) + 0.5;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(s.Hits, Is.EqualTo(2));
            Assert.That(s.Precision, Is.EqualTo(0.4).Within(Tolerance));
            Assert.That(s.Recall, Is.EqualTo(2.0 / 3).Within(Tolerance));
            Assert.That(s.Ndcg, Is.EqualTo(dcg / idcg).Within(Tolerance));
            Assert.That(s.Ndcg, Is.EqualTo(0.498189).Within(1e-6));
            Assert.That(s.AveragePrecision, Is.EqualTo(((1.0 / 2) + (2.0 / 4)) / 3).Within(Tolerance));
        }
    }

    [Test]
    public void Perfect_ranking_scores_one_even_with_more_relevant_items_than_the_cut_off()
    {
        var s = RankingMetrics.Score([1, 2, 3], new HashSet<int> { 1, 2, 3, 4, 5 }, 3);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(s.Ndcg, Is.EqualTo(1.0).Within(Tolerance));
            Assert.That(s.AveragePrecision, Is.EqualTo(1.0).Within(Tolerance));
            Assert.That(s.Precision, Is.EqualTo(1.0));
            Assert.That(s.Recall, Is.EqualTo(0.6).Within(Tolerance));
        }
    }

    [Test]
    public void Short_lists_are_measured_against_the_full_cut_off()
    {
        var s = RankingMetrics.Score([4], new HashSet<int> { 4 }, 10);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(s.Precision, Is.EqualTo(0.1).Within(Tolerance));
            Assert.That(s.Ndcg, Is.EqualTo(1.0).Within(Tolerance));
            Assert.That(s.AveragePrecision, Is.EqualTo(1.0).Within(Tolerance));
        }
    }

    [Test]
    public void Items_past_the_cut_off_do_not_count()
    {
        var s = RankingMetrics.Score([9, 8, 1], new HashSet<int> { 1 }, 2);
        Assert.That(s, Is.EqualTo(new RankingScores(0, 0, 0, 0, 0)));
    }

    [Test]
    public void A_hit_at_rank_three_alone_has_the_log2_four_discount()
    {
        var s = RankingMetrics.Score([9, 8, 1], new HashSet<int> { 1, 2 }, 10);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(s.Ndcg, Is.EqualTo(0.5 / (1 + (1 / Math.Log2(3)))).Within(Tolerance));
            Assert.That(s.AveragePrecision, Is.EqualTo((1.0 / 3) / 2).Within(Tolerance));
        }
    }
}
