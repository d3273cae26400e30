using System.Text.Json;
using Dapper;
using Tastebuds.Tests.Support;

namespace Tastebuds.Tests.Database;

/// <summary>sql/0009 on a database that already holds recommendations with the stored jsonb explanation of 0007.</summary>
public sealed class ExplainedRowsMigrationTests
{
    [Test]
    public async Task Upgrading_carries_a_stored_explanation_into_the_compact_columns_and_renders_it_as_before()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync(migrate: false);
        db.MigrateBefore("0009");
        await db.ExecuteAsync(
            """
            INSERT INTO lastfm_users (username) VALUES ('rj'), ('zaratoustre'), ('gone');
            INSERT INTO artists (name, name_key) VALUES ('Nightwish', 'nightwish');
            INSERT INTO tracks (artist_id, name, name_key) SELECT id, 'Stargazers', 'stargazers' FROM artists;
            INSERT INTO user_track_interactions (user_id, track_id, play_count, is_loved)
                SELECT u.id, t.id, 9, true FROM lastfm_users u, tracks t WHERE u.username = 'zaratoustre';
            INSERT INTO collaborative_recommendations (user_id, track_id, metric, recommendation_score, rank, supporting_neighbours, explanation)
                SELECT u.id, t.id, 'cosine', 0.75, 1, 3,
                       '{"metric": "cosine", "supporting_neighbours": 3, "evidence": 0.7, "popularity": 0.05, "neighbours": [
                          {"username": "zaratoustre", "similarity": 0.41, "play_count": 9, "loved": true, "contribution": 0.5},
                          {"username": "nobody-any-more", "similarity": 0.3, "play_count": 1, "loved": false, "contribution": 0.1},
                          {"username": "gone", "similarity": 0.2, "play_count": 2, "loved": false, "contribution": 0.05}]}'
                FROM lastfm_users u, tracks t WHERE u.username = 'rj';
            """);

        await db.MigrateAsync();

        var stored = await db.DataSource.OpenConnectionAsync();
        await using (stored)
        {
            var row = await stored.QuerySingleAsync<(short[] Kinds, long[] Ids, float[] Weights, float[] Parts, float Popularity)>(
                "SELECT evidence_kinds, evidence_ids, evidence_weights, evidence_contributions, popularity FROM collaborative_recommendations");
            var ids = (await stored.QueryAsync<long>("SELECT id FROM lastfm_users WHERE username IN ('zaratoustre', 'gone') ORDER BY username = 'gone'")).ToArray();
            var explanation = JsonDocument.Parse(await stored.QuerySingleAsync<string>("SELECT explanation::text FROM get_collaborative_recommendations('rj', 10)")).RootElement;
            var neighbours = explanation.GetProperty("neighbours").EnumerateArray().ToList();
            using (Assert.EnterMultipleScope())
            {
                Assert.That(row.Kinds, Is.EqualTo(new short[] { 1, 1 }), "neighbours, the unknown username left out");
                Assert.That(row.Ids, Is.EqualTo(ids), "in the stored order");
                Assert.That(row.Weights, Is.EqualTo(new[] { 0.41f, 0.2f }));
                Assert.That(row.Parts, Is.EqualTo(new[] { 0.5f, 0.05f }));
                Assert.That(row.Popularity, Is.EqualTo(0.05f));
                Assert.That(neighbours.Select(n => n.GetProperty("username").GetString()), Is.EqualTo(new[] { "zaratoustre", "gone" }));
                Assert.That(neighbours[0].GetProperty("play_count").GetInt32(), Is.EqualTo(9));
                Assert.That(neighbours[0].GetProperty("loved").GetBoolean(), Is.True);
                Assert.That(explanation.GetProperty("supporting_neighbours").GetInt32(), Is.EqualTo(3));
                Assert.That(explanation.GetProperty("evidence").GetDouble() + explanation.GetProperty("popularity").GetDouble(),
                    Is.EqualTo(0.75).Within(1e-6));
                Assert.That(explanation.GetProperty("text").GetString(), Does.StartWith("zaratoustre (similarity 0.41) plays it; gone (similarity 0.20)"));
            }
        }
    }
}
