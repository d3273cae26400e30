using System.Globalization;

namespace Tastebuds.Tests.NewUsers;

/// <summary>
/// The incremental step against its reference, the full recalculation: after newcomers are served one by one, every
/// neighbour list in the database (the newcomers' own and those they entered) and the newcomer's recommendations must
/// be what a full run computes from the same data.
/// </summary>
[NonParallelizable]
public sealed class IncrementalEqualsFullTests
{
    private const double Tolerance = 1e-9;

    [Test]
    public async Task A_newcomer_served_incrementally_has_the_neighbours_and_recommendations_a_full_run_gives_and_enters_the_same_lists()
    {
        await using var scenario = await NewUserScenario.StartAsync(users: 60, newcomers: 1, seed: 11);
        // Feedback of existing users shapes weights and candidates on both paths: liked tracks count as loved items.
        await scenario.Database.ExecuteAsync(
            """
            INSERT INTO recommendation_feedback (user_id, track_id, kind)
            SELECT u.id, t.id, 'liked' FROM (SELECT id FROM lastfm_users ORDER BY id LIMIT 3) u
            CROSS JOIN (SELECT id FROM tracks ORDER BY id DESC LIMIT 4) t
            ON CONFLICT DO NOTHING
            """);
        await scenario.FullRunAsync();
        var before = await scenario.SimilaritiesAsync();

        var newcomer = scenario.Newcomers[0];
        var served = await scenario.ArriveAsync(newcomer);
        var incremental = await scenario.SimilaritiesAsync();
        var recommended = await scenario.RecommendationsAsync(newcomer);
        await scenario.FullRunAsync();
        var full = await scenario.SimilaritiesAsync();
        var reference = await scenario.RecommendationsAsync(newcomer);
        await TestContext.Out.WriteLineAsync($"{served.Single()}; {incremental.Count} neighbour rows, {recommended.Count} recommendations");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(served.Single().NeighbourRows, Is.GreaterThan(0), "the newcomer has neighbours");
            Assert.That(served.Single().ListsEntered, Is.GreaterThan(0), "the newcomer entered other users' lists");
            Assert.That(incremental.Count(r => r.SimilarUserId == NewcomerId(incremental, before)), Is.GreaterThan(0));
            Assert.That(recommended, Is.Not.Empty);
            AssertSameSimilarities(incremental, full);
            AssertSameRecommendations(recommended, reference);
        }
    }

    [Test]
    public async Task Newcomers_arriving_one_after_another_leave_every_list_as_a_full_run_computes_it()
    {
        await using var scenario = await NewUserScenario.StartAsync(users: 60, newcomers: 3, seed: 12);
        await scenario.FullRunAsync();
        var entered = 0;
        foreach (var newcomer in scenario.Newcomers)
        {
            entered += (await scenario.ArriveAsync(newcomer)).Sum(r => r.ListsEntered);
        }

        var incremental = await scenario.SimilaritiesAsync();
        await scenario.FullRunAsync();
        var full = await scenario.SimilaritiesAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(entered, Is.GreaterThan(0));
            AssertSameSimilarities(incremental, full);
        }
    }

    private static long NewcomerId(List<SimilarityRow> after, List<SimilarityRow> before) =>
        after.Select(r => r.UserId).Except(before.Select(r => r.UserId)).Single();

    private static void AssertSameSimilarities(List<SimilarityRow> incremental, List<SimilarityRow> full)
    {
        Assert.That(incremental.Select(Key), Is.EqualTo(full.Select(Key)), "the same lists: user, metric, rank → neighbour");
        var worst = incremental.Zip(full, (a, b) => new[]
        {
            Math.Abs(a.Score - b.Score), Math.Abs(a.TrackScore - b.TrackScore), Math.Abs(a.AlbumScore - b.AlbumScore),
            Math.Abs(a.ArtistScore - b.ArtistScore),
        }.Max()).DefaultIfEmpty().Max();
        Assert.That(worst, Is.LessThanOrEqualTo(Tolerance), "largest score difference");
        Assert.That(incremental.Select(r => r.SharedItems), Is.EqualTo(full.Select(r => r.SharedItems)));
    }

    private static void AssertSameRecommendations(List<RecommendationRow> incremental, List<RecommendationRow> full)
    {
        Assert.That(incremental.Select(r => (r.Metric, r.Rank, r.TrackId, r.Supporters)),
            Is.EqualTo(full.Select(r => (r.Metric, r.Rank, r.TrackId, r.Supporters))), "the same recommendations");
        var worst = incremental.Zip(full, (a, b) => Math.Abs(a.Score - b.Score)).DefaultIfEmpty().Max();
        Assert.That(worst, Is.LessThanOrEqualTo(Tolerance), "largest recommendation score difference");
    }

    private static string Key(SimilarityRow r) =>
        string.Create(CultureInfo.InvariantCulture, $"{r.UserId}/{r.Metric}/{r.Rank}→{r.SimilarUserId}");
}
