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
}
