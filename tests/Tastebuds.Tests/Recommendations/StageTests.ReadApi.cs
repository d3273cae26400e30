using System.Diagnostics;
using Dapper;

namespace Tastebuds.Tests.Recommendations;

public sealed partial class StageTests
{
    [Test]
    public async Task The_read_function_returns_the_table_in_rank_order_honours_the_limit_and_answers_unknown_users_with_nothing()
    {
        await (await _scenario.RecalculatorAsync(Settings)).RecalculateAsync(CancellationToken.None);
        await (await _scenario.GeneratorAsync(Settings)).GenerateAsync(CancellationToken.None);
        await using var connection = await _scenario.Database.DataSource.OpenConnectionAsync();
        var user = await connection.QuerySingleAsync<string>(
            """
            SELECT u.username FROM collaborative_recommendations cr JOIN lastfm_users u ON u.id = cr.user_id
            WHERE cr.metric = 'jaccard' GROUP BY u.username ORDER BY count(*) DESC, u.username LIMIT 1
            """);
        var table = (await connection.QueryAsync<(int Rank, string Track, double Score)>(
            """
            SELECT cr.rank, t.name, cr.recommendation_score FROM collaborative_recommendations cr
            JOIN lastfm_users u ON u.id = cr.user_id JOIN tracks t ON t.id = cr.track_id
            WHERE u.username = @user AND cr.metric = 'jaccard' ORDER BY cr.rank
            """, new { user })).ToList();

        var all = (await connection.QueryAsync<(int Rank, string Track, double Score)>(
            "SELECT rank, track, score FROM get_collaborative_recommendations(upper(@user), 1000, 'jaccard')", new { user })).ToList();
        var three = (await connection.QueryAsync<int>("SELECT rank FROM get_collaborative_recommendations(@user, 3, 'jaccard')", new { user })).ToList();
        var unknown = (await connection.QueryAsync<int>("SELECT rank FROM get_collaborative_recommendations('nobody-at-all', 10)")).ToList();
        var defaultMetric = await connection.QuerySingleAsync<string>("SELECT DISTINCT metric FROM get_collaborative_recommendations(@user, 5)", new { user });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(table, Has.Count.GreaterThan(3));
            Assert.That(all, Is.EqualTo(table), "the function returns exactly the stored rows, in rank order, matching the name case-insensitively");
            Assert.That(three, Is.EqualTo(new[] { 1, 2, 3 }));
            Assert.That(unknown, Is.Empty);
            Assert.That(defaultMetric, Is.EqualTo("cosine"), "with no metric: the latest generation, cosine first on a tie");
        }
    }

    [Test]
    public async Task The_read_function_answers_from_the_primary_key_prefix_in_milliseconds()
    {
        await (await _scenario.RecalculatorAsync(Settings)).RecalculateAsync(CancellationToken.None);
        await (await _scenario.GeneratorAsync(Settings)).GenerateAsync(CancellationToken.None);
        await using var connection = await _scenario.Database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("ANALYZE collaborative_recommendations; ANALYZE lastfm_users; ANALYZE tracks; ANALYZE artists");
        var user = await connection.QuerySingleAsync<string>(
            "SELECT u.username FROM collaborative_recommendations cr JOIN lastfm_users u ON u.id = cr.user_id ORDER BY cr.user_id LIMIT 1");
        const string Scans =
            """
            SELECT coalesce(sum(s.seq_scan), 0)::bigint AS Seq, coalesce(sum(s.idx_scan), 0)::bigint AS Index
            FROM pg_inherits i JOIN pg_stat_user_tables s ON s.relid = i.inhrelid
            WHERE i.inhparent = 'collaborative_recommendations'::regclass
            """;

        await connection.ExecuteAsync("SELECT pg_stat_force_next_flush()");
        var before = await connection.QuerySingleAsync<(long Seq, long Index)>(Scans);
        var clock = Stopwatch.StartNew();
        const int Calls = 200;
        for (var i = 0; i < Calls; i++)
        {
            await connection.QueryAsync("SELECT * FROM get_collaborative_recommendations(@user, 10)", new { user });
        }

        var perCall = clock.Elapsed.TotalMilliseconds / Calls;
        await connection.ExecuteAsync("SELECT pg_stat_force_next_flush()");
        await connection.ExecuteAsync("SELECT pg_stat_clear_snapshot()");
        var after = await connection.QuerySingleAsync<(long Seq, long Index)>(Scans);
        TestContext.Out.WriteLine($"get_collaborative_recommendations: {perCall:0.000} ms per call (round trip, {Calls} calls); scans {before} -> {after}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(after.Index - before.Index, Is.GreaterThanOrEqualTo(Calls), "each call reads the user's rows through the primary key's (user_id, metric) prefix");
            Assert.That(after.Seq - before.Seq, Is.Zero, "a call scanned the current generation");
            Assert.That(perCall, Is.LessThan(10), "milliseconds per call on a loaded shared machine");
        }
    }
}
