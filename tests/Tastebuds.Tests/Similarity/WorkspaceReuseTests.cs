using Tastebuds.Core;
using Tastebuds.Core.Similarity;

namespace Tastebuds.Tests.Similarity;

/// <summary>
/// A thread's workspace is reused from target to target and a slot is zeroed only when a target opens it: nothing a
/// target accumulated may reach the next one's sums, seen counts or estimates.
/// </summary>
public sealed class WorkspaceReuseTests
{
    [TestCase(150)]
    [TestCase(0)]
    public void A_target_gets_the_same_lists_after_fifty_other_targets_on_its_thread_as_alone(int maxHoldersPerItem)
    {
        var matrix = PopularWorld.Create(users: 2_000, seed: 11);
        var options = new SimilarityOptions { MaxHoldersPerItem = maxHoldersPerItem, MaxDegreeOfParallelism = 1 };
        const int target = 1_999;

        var alone = NeighbourFinder.Compute(matrix, options, [target], CancellationToken.None);
        var after = NeighbourFinder.Compute(matrix, options, [.. Enumerable.Range(0, 50), target], CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            foreach (var metric in Enum.GetValues<SimilarityMetric>())
            {
                Assert.That(alone.Of(target, metric), Is.Not.Empty, metric.ToString());
                Assert.That(after.Of(target, metric), Is.EqualTo(alone.Of(target, metric)), metric.ToString());
            }
        }
    }
}
