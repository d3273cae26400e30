using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tastebuds.Worker.Similarity;

namespace Tastebuds.Tests.NewUsers;

/// <summary>
/// The incremental step under Algorithm:MaxHoldersPerItem, on a world small enough to run the exact search as the
/// reference: the capped read shortlists part of the users sharing an item, and what it writes is still exact.
/// </summary>
[NonParallelizable]
public sealed class BoundedSearchTests
{
    private const double Tolerance = 1e-6;

    [Test]
    public async Task A_newcomer_served_with_capped_holders_rescores_a_shortlist_exactly_and_leaves_every_list_ranked()
    {
        await using var scenario = await NewUserScenario.StartAsync(users: 120, newcomers: 1, seed: 21,
            new Dictionary<string, string?> { ["Algorithm:MaxHoldersPerItem"] = "5", ["Algorithm:MaxSimilarUsers"] = "3" });
        await scenario.FullRunAsync();
        var served = (await scenario.ArriveAsync(scenario.Newcomers[0])).Single();
        var incremental = await scenario.SimilaritiesAsync();
        var newcomer = incremental.Select(r => r.UserId).Max();

        // The reference: the exact search (no cap), with lists long enough to hold every pair above the threshold.
        var options = scenario.Services.GetRequiredService<IOptions<AlgorithmOptions>>().Value;
        options.MaxHoldersPerItem = 0;
        options.MaxSimilarUsers = 500;
        await scenario.FullRunAsync();
        var exact = (await scenario.SimilaritiesAsync())
            .Where(r => r.UserId == newcomer)
            .ToDictionary(r => (r.Metric, r.SimilarUserId));
        var written = incremental.Where(r => r.UserId == newcomer || r.SimilarUserId == newcomer).ToList();
        await TestContext.Out.WriteLineAsync(
            $"{served}; shortlisted {served.Shortlisted}; {written.Count} rows name the newcomer, {exact.Count} exact pairs");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(served.Shortlisted, Is.Not.Null, "the capped read happened");
            Assert.That(served.Shortlisted, Is.LessThan(served.UsersSharing), "the shortlist is a part of the users seen");
            Assert.That(served.ListsEntered, Is.GreaterThan(0));
            Assert.That(written.Where(r => r.UserId == newcomer), Is.Not.Empty);
            foreach (var row in written)
            {
                var other = row.UserId == newcomer ? row.SimilarUserId : row.UserId;
                Assert.That(exact.TryGetValue((row.Metric, other), out var reference), Is.True, $"{row} is a pair the exact search keeps");
                Assert.That(row.Score, Is.EqualTo(reference!.Score).Within(Tolerance), $"{row}: the exact score");
                Assert.That(row.SharedItems, Is.EqualTo(reference.SharedItems), $"{row}: the exact shared count");
            }

            foreach (var list in incremental.GroupBy(r => (r.UserId, r.Metric)))
            {
                var rows = list.OrderBy(r => r.Rank).ToList();
                Assert.That(rows.Select(r => r.Rank), Is.EqualTo(Enumerable.Range(1, rows.Count)), $"{list.Key}: ranks 1..n");
                Assert.That(rows, Has.Count.LessThanOrEqualTo(3), $"{list.Key}: at most K");
                Assert.That(rows.Select(r => r.Score), Is.Ordered.Descending, $"{list.Key}: best first");
            }
        }
    }
}
