using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Tastebuds.Core;
using Tastebuds.Worker.NewUsers;
using Tastebuds.Worker.Similarity;

namespace Tastebuds.Tests.NewUsers;

/// <summary>What applications say of recommendations, through record_recommendation_feedback, and what each path does with it.</summary>
[NonParallelizable]
public sealed class FeedbackTests
{
    private NewUserScenario _scenario = null!;

    [OneTimeSetUp]
    public async Task FetchAndRun()
    {
        _scenario = await NewUserScenario.StartAsync(users: 40, newcomers: 1, seed: 41);
        await _scenario.FullRunAsync();
    }

    [OneTimeTearDown]
    public async Task Drop() => await _scenario.DisposeAsync();

    [Test, Order(1)]
    public async Task Feedback_names_an_unknown_user_track_or_kind_writes_nothing_then_and_the_same_call_twice_changes_nothing()
    {
        var db = _scenario.Database;
        var (user, track) = await AnyUserAndTrackAsync();
        var unknownUser = await ErrorOfAsync($"SELECT record_recommendation_feedback('nobody-here', {track}, 'liked')");
        var unknownTrack = await ErrorOfAsync($"SELECT record_recommendation_feedback('{user}', 987654321, 'liked')");
        var badKind = await ErrorOfAsync($"SELECT record_recommendation_feedback('{user}', {track}, 'meh')");
        var noKind = await ErrorOfAsync($"SELECT record_recommendation_feedback('{user}', {track}, NULL)");
        var mine = $"FROM recommendation_feedback f JOIN lastfm_users u ON u.id = f.user_id WHERE u.username = '{user}' AND f.track_id = {track}";
        var rowsAfterErrors = await db.ScalarAsync<long>("SELECT count(*) FROM recommendation_feedback");

        await db.ExecuteAsync($"SELECT record_recommendation_feedback('{user.ToUpperInvariant()}', {track}, 'dismissed')");
        var first = await db.ScalarAsync<DateTime>($"SELECT f.created_at {mine}");
        await db.ExecuteAsync($"SELECT record_recommendation_feedback('{user}', {track}, 'dismissed')");
        var second = await db.ScalarAsync<DateTime>($"SELECT f.created_at {mine}");
        var rowsAfterTwice = await db.ScalarAsync<long>($"SELECT count(*) {mine}");
        await db.ExecuteAsync($"SELECT record_recommendation_feedback('{user}', {track}, 'liked')");
        var kindAfterChange = await db.ScalarAsync<string>($"SELECT f.kind {mine}");
        await db.ExecuteAsync($"DELETE FROM recommendation_feedback f USING lastfm_users u WHERE u.id = f.user_id AND u.username = '{user}' AND f.track_id = {track}");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(unknownUser, Is.EqualTo(("P0002", "record_recommendation_feedback: no Last.fm user 'nobody-here'")));
            Assert.That(unknownTrack, Is.EqualTo(("P0002", "record_recommendation_feedback: no track with id 987654321")));
            Assert.That(badKind, Is.EqualTo(("22023", "record_recommendation_feedback: kind must be dismissed, disliked or liked, not 'meh'")));
            Assert.That(noKind.SqlState, Is.EqualTo("22023"));
            Assert.That(rowsAfterErrors, Is.Zero, "an error costs nothing");
            Assert.That(rowsAfterTwice, Is.EqualTo(1));
            Assert.That(second, Is.EqualTo(first), "the same word twice keeps the first one's time");
            Assert.That(kindAfterChange, Is.EqualTo("liked"), "a new word replaces the old");
        }
    }

    [Test]
    public async Task Dismissed_and_disliked_tracks_never_come_back_and_a_liked_track_counts_as_a_loved_one()
    {
        var db = _scenario.Database;
        await _scenario.FullRunAsync();
        var user = await db.ScalarAsync<string>(
            """
            SELECT u.username FROM collaborative_recommendations cr JOIN lastfm_users u ON u.id = cr.user_id
            WHERE cr.metric = 'cosine' GROUP BY u.username HAVING count(*) >= 10 ORDER BY u.username LIMIT 1
            """);
        var top = (await ReadAsync(user!)).Take(3).ToList();
        await db.ExecuteAsync($"SELECT record_recommendation_feedback('{user}', {top[0].TrackId}, 'dismissed')");
        await db.ExecuteAsync($"SELECT record_recommendation_feedback('{user}', {top[1].TrackId}, 'disliked')");
        await db.ExecuteAsync($"SELECT record_recommendation_feedback('{user}', {top[2].TrackId}, 'liked')");
        var atOnce = await ReadAsync(user!);
        var stats = await db.ScalarAsync<string>(
            $"SELECT dismissed_count || '/' || disliked_count || '/' || liked_count FROM user_listening_stats WHERE username = '{user}'");

        await _scenario.FullRunAsync();
        var nextRun = await db.ScalarAsync<long>(
            $"""
            SELECT count(*) FROM collaborative_recommendations cr JOIN lastfm_users u ON u.id = cr.user_id
            WHERE u.username = '{user}' AND cr.track_id IN ({top[0].TrackId}, {top[1].TrackId}, {top[2].TrackId})
            """);
        var (liked, lovedWeight) = await LikedWeightAsync(user!, top[2].TrackId);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(atOnce.Select(r => r.TrackId), Does.Not.Contain(top[0].TrackId).And.Not.Contain(top[1].TrackId),
                "the read function filters them at once");
            Assert.That(atOnce.Select(r => r.TrackId), Does.Contain(top[2].TrackId), "liked is not filtered");
            Assert.That(atOnce.Select(r => r.Rank), Is.EqualTo(Enumerable.Range(1, atOnce.Count)), "ranks renumbered 1..n");
            Assert.That(stats, Is.EqualTo("1/1/1"), "user_listening_stats counts the feedback");
            Assert.That(nextRun, Is.Zero, "the next run recommends none of the three (the liked one is now the user's)");
            Assert.That(liked, Is.EqualTo(lovedWeight), "a liked track weighs like a loved one with the same plays");
        }
    }

    [Test]
    public async Task The_incremental_step_never_recommends_a_track_the_newcomer_dismissed()
    {
        var db = _scenario.Database;
        var newcomer = _scenario.Newcomers[0];
        await _scenario.ArriveAsync(newcomer);
        var first = await ReadAsync(newcomer);
        Assert.That(first, Is.Not.Empty);
        await db.ExecuteAsync($"SELECT record_recommendation_feedback('{newcomer}', {first[0].TrackId}, 'disliked')");
        var id = await db.ScalarAsync<long>($"SELECT id FROM lastfm_users WHERE username = '{newcomer}'");
        await _scenario.Services.GetRequiredService<NewUserServer>().ServeAsync([new NewUser(id, newcomer)], CancellationToken.None);

        var stored = await db.ScalarAsync<long>(
            $"SELECT count(*) FROM collaborative_recommendations WHERE user_id = {id} AND track_id = {first[0].TrackId}");
        Assert.That(stored, Is.Zero, "the incremental step honours the feedback");
    }

    private async Task<(string User, long Track)> AnyUserAndTrackAsync()
    {
        await using var connection = await _scenario.Database.DataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<(string, long)>(
            "SELECT u.username, i.track_id FROM user_track_interactions i JOIN lastfm_users u ON u.id = i.user_id ORDER BY 1, 2 LIMIT 1");
    }

    private async Task<(string SqlState, string Message)> ErrorOfAsync(string sql)
    {
        var e = Assert.ThrowsAsync<PostgresException>(() => _scenario.Database.ExecuteAsync(sql))!;
        return (e.SqlState, e.MessageText);
    }

    private async Task<List<(int Rank, long TrackId)>> ReadAsync(string user)
    {
        await using var connection = await _scenario.Database.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<(int, long)>(
            """
            SELECT r.rank, t.id FROM get_collaborative_recommendations(@user, 50, 'cosine') r
            JOIN tracks t ON t.name = r.track JOIN artists a ON a.id = t.artist_id AND a.name = r.artist
            ORDER BY r.rank
            """, new { user })).AsList();
    }

    /// <summary>The liked track's weight in the matrix the full run loads, and the weight of a love with the same plays.</summary>
    private async Task<(double Liked, double Loved)> LikedWeightAsync(string user, long track)
    {
        await using var connection = await _scenario.Database.DataSource.OpenConnectionAsync();
        var weighting = _scenario.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AlgorithmOptions>>().Value.ToWeighting();
        var matrix = InteractionMatrix.Build(await InteractionLoader.LoadAsync(connection, CancellationToken.None), weighting);
        var userId = await connection.ExecuteScalarAsync<long>("SELECT id FROM lastfm_users WHERE username = @user", new { user });
        var plays = await connection.ExecuteScalarAsync<long?>(
            "SELECT play_count FROM user_track_interactions WHERE user_id = @userId AND track_id = @track", new { userId, track }) ?? 0;
        Assert.That(matrix.TryGetUser(userId, out var u) && matrix.TryGetItem(ItemKind.Track, track, out _), "the liked track is the user's item");
        matrix.TryGetItem(ItemKind.Track, track, out var item);
        var items = matrix.ItemsOf(u, ItemKind.Track).ToArray();
        var weight = matrix.WeightsOf(u, ItemKind.Track)[Array.IndexOf(items, item)];
        return (weight, weighting.Weight(plays, loved: true));
    }
}
