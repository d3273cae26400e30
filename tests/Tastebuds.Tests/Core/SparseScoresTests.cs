using Tastebuds.Core.Models;

namespace Tastebuds.Tests.Core;

public class SparseScoresTests
{
    [Test]
    public void Sparse_scores_sum_an_item_added_twice_and_keep_each_value_beside_its_item_in_the_order_first_touched()
    {
        var scores = new SparseScores(10);
        scores.Add(7, 0.5);
        scores.Add(2, 1.0);
        scores.Add(7, 0.25);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(scores.Touched, Is.EqualTo(new[] { 7, 2 }));
            Assert.That(scores.Values.ToArray(), Is.EqualTo(new[] { 0.75, 1.0 }));
            Assert.That(scores[7], Is.EqualTo(0.75));
            Assert.That(scores[3], Is.Zero, "never touched");
        }
    }

    [Test]
    public void Sparse_scores_forget_every_value_on_clear()
    {
        var scores = new SparseScores(10);
        scores.Add(7, 0.5);
        scores.Clear();
        scores.Add(1, 2.0);
        scores.Add(7, 0.25);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(scores.Touched, Is.EqualTo(new[] { 1, 7 }));
            Assert.That(scores[7], Is.EqualTo(0.25), "the value before Clear is gone");
            Assert.That(scores.Values.ToArray(), Is.EqualTo(new[] { 2.0, 0.25 }));
        }
    }

    [Test]
    public void Sparse_scores_do_not_read_a_cleared_item_whose_old_position_another_item_now_holds()
    {
        var scores = new SparseScores(10);
        scores.Add(7, 0.5);
        scores.Add(2, 1.0);
        scores.Clear();
        scores.Add(2, 3.0);
        scores.Add(7, 0.25);
        scores.Clear();
        scores.Add(4, 1.5);
        using (Assert.EnterMultipleScope())
        {
            // 7 was at position 0 and then 1, 2 at position 1 and then 0: position 0 now holds 4.
            Assert.That(scores[7], Is.Zero);
            Assert.That(scores[2], Is.Zero);
            Assert.That(scores[4], Is.EqualTo(1.5));
            Assert.That(scores.Touched, Is.EqualTo(new[] { 4 }));
        }

        scores.Add(7, 1.0);
        scores.Add(7, 1.0);
        Assert.That(scores.Values.ToArray(), Is.EqualTo(new[] { 1.5, 2.0 }), "7 is appended once, then summed");
    }
}
