using Dapper;
using Tastebuds.Tests.Support;

namespace Tastebuds.Tests.Database;

/// <summary>
/// get_collaborative_recommendations renders a page set-based (sql/0012); the view collaborative_recommendations_explained
/// still renders each row with recommendation_explanation (sql/0011). Both must give the same explanation for every kind of
/// reason and every edge the data can hold.
/// </summary>
public sealed class ReadFunctionRenderingTests
{
    [Test]
    public async Task The_read_function_renders_every_kind_of_reason_exactly_as_the_row_by_row_rendering()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        await FillEveryKindOfReasonAsync(db);
        foreach (var metric in new[] { "cosine", "hybrid", "item-knn" })
        {
            var read = await Page(db, $"SELECT rank, track, artist, score, explanation::text FROM get_collaborative_recommendations('RJ', 100, '{metric}')");
            var reference = await Page(db,
                $"""
                SELECT row_number() OVER (ORDER BY rank)::int, track, artist, recommendation_score::float8, explanation::text
                FROM collaborative_recommendations_explained e
                WHERE username = 'rj' AND metric = '{metric}'
                  AND NOT EXISTS (SELECT 1 FROM recommendation_feedback f WHERE f.user_id = e.user_id AND f.track_id = e.track_id AND f.kind = 'dismissed')
                ORDER BY rank
                """);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(read, Is.Not.Empty, metric);
                Assert.That(read, Is.EqualTo(reference), metric);
            }
        }

        var tags = (await Page(db, "SELECT rank, track, artist, score, explanation::text FROM get_collaborative_recommendations('rj', 100, 'hybrid')"))
            .Select(r => System.Text.Json.JsonDocument.Parse(r.Explanation).RootElement).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(tags.Select(e => e.GetProperty("tags")[0].TryGetProperty("tag", out var name) ? name.GetString() : null),
                Is.EquivalentTo(new[] { "Post-Rock \"Live\"", "Post-Rock \"Live\"", null }), "a registered tag by name; an unknown id without one");
            Assert.That(tags.Select(e => e.GetProperty("text").GetString()),
                Has.Exactly(2).Contains("tagged \"Post-Rock \"Live\"\" like what you play").And.Exactly(1).EndsWith("; tagged like what you play"));
            Assert.That(tags.Select(e => Tastebuds.Worker.Recommendations.ExplanationText.Reasons(e)[^1]),
                Is.EquivalentTo(new[] { "tagged \"Post-Rock \"Live\"\" like what you play", "tagged \"Post-Rock \"Live\"\" like what you play",
                                        "tagged like what you play" }), "recommend's phrases");
        }

        // The metric chosen without one named: the one generated last (all here at once), cosine first on a tie.
        Assert.That(await db.ScalarAsync<string>("SELECT DISTINCT metric FROM get_collaborative_recommendations('rj')"), Is.EqualTo("cosine"));
    }

    /// <summary>
    /// rj's recommendations of three methods holding every kind of reason and edge: names with quotes, backslashes, tabs
    /// and non-ASCII letters, a deleted neighbour, a neighbour who likes without holding, an unknown method code, a
    /// registered tag and an unknown tag id, NaN and Infinity, a row without reasons, and a dismissed track.
    /// </summary>
    internal static async Task FillEveryKindOfReasonAsync(TestDatabase db)
    {
        await db.ExecuteAsync(
            """
            INSERT INTO lastfm_users (username) VALUES ('rj'), ('zara"toustre'), ('näive\back'), ('friend'), ('nobody-holds');
            INSERT INTO artists (name, name_key) VALUES ('Nightwish', 'nightwish'), ('Sigur "Rós"', 'sigur ros');
            INSERT INTO tracks (artist_id, name, name_key)
                SELECT a.id, n, lower(n) FROM artists a, unnest(ARRAY['Stargazers', 'Ný batterí', 'Tab	and \ slash', 'Gone']) n;
            INSERT INTO user_track_interactions (user_id, track_id, play_count, is_loved)
                SELECT u.id, t.id, 9, true FROM lastfm_users u, tracks t WHERE u.username = 'zara"toustre';
            INSERT INTO user_track_interactions (user_id, track_id, play_count, is_loved)
                SELECT u.id, t.id, 3, false FROM lastfm_users u, tracks t WHERE u.username = 'näive\back';
            -- A neighbour who likes a track without holding it counts as loving it.
            INSERT INTO recommendation_feedback (user_id, track_id, kind)
                SELECT u.id, t.id, 'liked' FROM lastfm_users u, tracks t WHERE u.username = 'nobody-holds';
            -- A tag the stage registered (sql/0014), with a quote in its name.
            INSERT INTO tags (name_key, name) VALUES ('post-rock "live"', 'Post-Rock "Live"');
            """);
        var tag = await db.ScalarAsync<long>("SELECT id FROM tags");
        var user = await db.ScalarAsync<long>("SELECT id FROM lastfm_users WHERE username = 'rj'");
        var others = (await Ids(db, "SELECT id FROM lastfm_users WHERE username <> 'rj' ORDER BY id")).ToArray();
        var tracks = (await Ids(db, "SELECT id FROM tracks ORDER BY id")).ToArray();
        var rows = new List<object>();
        var rank = 0;
        foreach (var (metric, track) in new[] { ("cosine", 0), ("cosine", 1), ("cosine", 2), ("hybrid", 3), ("hybrid", 4), ("hybrid", 5),
                                                ("item-knn", 6), ("item-knn", 7), ("cosine", 3) })
        {
            rank++;
            rows.Add(new
            {
                user, track = tracks[track], metric, rank, popularity = metric == "cosine" ? 0.05f : 0f,
                kinds = (short[])(metric switch
                {
                    // Neighbours: holding and loving, holding, liking only, and one since deleted (no name).
                    "cosine" => [1, 1, 1, 1],
                    // A hybrid's components (one code unknown to recommendation_methods), then items, a friend, a tag.
                    "hybrid" => [4, 4, 0, 0, 2, 3],
                    _ => [0, 0, 0],
                }),
                ids = metric switch
                {
                    "cosine" => [others[0], others[1], others[3], 999_999],
                    // A registered tag, or (track 5) an id no tag has: a reason stored before tags were registered.
                    "hybrid" => [6L, 77, tracks[0], tracks[track == 5 ? 0 : 2], others[2], track == 5 ? 42_000 : tag],
                    _ => new[] { tracks[0], tracks[2], tracks[1] },
                },
                weights = metric switch
                {
                    "cosine" => [0.41f, 0.2f, 0.123456f, 0.1f],
                    "hybrid" => [0.75f, 0.25f, 0.0183507521f, float.NaN, 1f, 0.5f],
                    _ => new[] { 0.9f, 0.33333334f, 0.1f },
                },
                parts = metric switch
                {
                    "cosine" => [0.5f, 0.05f, 0.01f, 1e-7f],
                    "hybrid" => [0.6f, 0.4f, 0.3f, 0.2f, 0.1f, float.PositiveInfinity],
                    _ => new[] { 0.5f, 0.25f, 0f },
                },
            });
        }

        // One row with no reasons at all.
        rows.Add(new { user, track = tracks[0], metric = "item-knn", rank = ++rank, popularity = 0f, kinds = Array.Empty<short>(),
                       ids = Array.Empty<long>(), weights = Array.Empty<float>(), parts = Array.Empty<float>() });
        await using (var connection = await db.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO collaborative_recommendations (user_id, track_id, metric, recommendation_score, rank, supporting_neighbours, popularity,
                                                           evidence_kinds, evidence_ids, evidence_weights, evidence_contributions)
                VALUES (@user, @track, @metric, 1.0 / @rank, @rank, greatest(cardinality(@kinds), 1), @popularity, @kinds, @ids, @weights, @parts)
                """, rows);
            await connection.ExecuteAsync(
                "INSERT INTO recommendation_feedback (user_id, track_id, kind) VALUES (@user, @track, 'dismissed')", new { user, track = tracks[1] });
        }

    }

    private static async Task<IEnumerable<long>> Ids(TestDatabase db, string sql)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        return await connection.QueryAsync<long>(sql);
    }

    private static async Task<List<(int Rank, string Track, string Artist, double Score, string Explanation)>> Page(TestDatabase db, string sql)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<(int, string, string, double, string)>(sql)).AsList();
    }
}
