using Tastebuds.Core.Similarity;

namespace Tastebuds.Tests.Similarity;

/// <summary>
/// The embedding scan's selection (<see cref="TopCandidates"/>) keeps exactly the set a <see cref="BoundedHeap"/> of the
/// same capacity keeps: score descending, ties to the lower user, whatever the order of the offers.
/// </summary>
public sealed class TopCandidatesTests
{
    [TestCase(0, 100)]
    [TestCase(1, 1)]
    [TestCase(1, 500)]
    [TestCase(7, 6)]
    [TestCase(50, 49)]
    [TestCase(50, 5_000)]
    [TestCase(1_000, 12_345)]
    public void The_kept_users_are_the_ones_a_bounded_heap_keeps(int capacity, int offers)
    {
        var random = new Random(capacity * 31 + offers);
        // Few distinct scores (many ties), negative and positive zero, negatives, infinities: the edges of the order.
        float[] palette = [0f, -0f, 1f, -1f, 0.5f, -0.25f, float.Epsilon, -float.Epsilon, float.MaxValue, float.NegativeInfinity, 3e-39f];
        var users = Enumerable.Range(0, offers).Select(i => i * 3 + 1).ToArray();
        random.Shuffle(users);
        var scores = users.Select(_ => random.Next(3) == 0 ? palette[random.Next(palette.Length)] : (float)(random.NextDouble() * 2 - 1)).ToArray();

        var heap = new BoundedHeap();
        var top = new TopCandidates();
        top.Reset(capacity);
        for (var i = 0; i < offers; i++)
        {
            if (capacity > 0)
            {
                heap.Offer(users[i], scores[i], users[i], capacity);
            }

            if (scores[i] >= top.Floor)
            {
                top.Add(scores[i], users[i]);
            }
        }

        var expected = heap.Unordered.ToArray().Select(e => e.User).Order().ToArray();
        var kept = top.Finish().ToArray().Select(TopCandidates.UserOf).Order().ToArray();
        Assert.That(kept, Is.EqualTo(expected));
    }

    [TestCase(300, 20_000, true)]
    [TestCase(300, 20_000, false)]
    [TestCase(128, 1_000, true)]
    public void Offers_in_score_order_keep_the_users_a_bounded_heap_keeps(int capacity, int offers, bool ascending)
    {
        // Ascending, every offer beats the floor, so the buffer is pruned as often as it can be; descending, it never is.
        var heap = new BoundedHeap();
        var top = new TopCandidates();
        top.Reset(capacity);
        for (var i = 0; i < offers; i++)
        {
            var user = (i * 7919) % offers;
            var score = (ascending ? i : offers - i) / (float)offers;
            heap.Offer(user, score, user, capacity);
            if (score >= top.Floor)
            {
                top.Add(score, user);
            }
        }

        var expected = heap.Unordered.ToArray().Select(e => e.User).Order().ToArray();
        var kept = top.Finish().ToArray().Select(TopCandidates.UserOf).Order().ToArray();
        Assert.That(kept, Is.EqualTo(expected));
    }

    [Test]
    public void A_buffer_whose_sampled_keys_are_its_best_still_keeps_the_best_users()
    {
        // The pruning's pivot comes from 64 keys at even strides of the full buffer (2 × 300): here exactly those are the
        // best, so a pivot among them would keep fewer than 300; the set must fall back to an exact cut.
        const int capacity = 300;
        var sampled = Enumerable.Range(0, 64).Select(i => i * 2 * capacity / 64).ToHashSet();
        var heap = new BoundedHeap();
        var top = new TopCandidates();
        top.Reset(capacity);
        for (var user = 0; user < (2 * capacity) + 50; user++)
        {
            var score = sampled.Contains(user) ? 0.9f + (user / 1e4f) : 0.1f + (user / 1e4f);
            heap.Offer(user, score, user, capacity);
            if (score >= top.Floor)
            {
                top.Add(score, user);
            }
        }

        var expected = heap.Unordered.ToArray().Select(e => e.User).Order().ToArray();
        Assert.That(top.Finish().ToArray().Select(TopCandidates.UserOf).Order().ToArray(), Is.EqualTo(expected));
    }

    [Test]
    public void Negative_and_positive_zero_tie_and_the_lower_user_wins_as_in_the_heap()
    {
        var top = new TopCandidates();
        top.Reset(2);
        foreach (var (score, user) in new[] { (0f, 5), (-0f, 1), (0f, 3), (1f, 9), (-0f, 7) })
        {
            top.Add(score, user);
        }

        Assert.That(top.Finish().ToArray().Select(TopCandidates.UserOf).Order(), Is.EqualTo(new[] { 1, 9 }));
    }

    [Test]
    public void A_reset_set_forgets_what_it_kept_and_takes_its_new_capacity()
    {
        var top = new TopCandidates();
        top.Reset(2);
        foreach (var (score, user) in new[] { (0.9f, 1), (0.8f, 2), (0.7f, 3), (0.6f, 4), (0.5f, 5) })
        {
            top.Add(score, user);
        }

        Assert.That(top.Finish().ToArray().Select(TopCandidates.UserOf).Order(), Is.EqualTo(new[] { 1, 2 }));
        Assert.That(top.Floor, Is.EqualTo(0.8f));

        top.Reset(3);
        Assert.That(top.Floor, Is.EqualTo(float.NegativeInfinity));
        top.Add(0.1f, 9);
        top.Add(-0.1f, 8);
        Assert.That(top.Finish().ToArray().Select(TopCandidates.UserOf).Order(), Is.EqualTo(new[] { 8, 9 }));
    }
}
