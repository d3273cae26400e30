using System.Text.Json;
using Dapper;
using Tastebuds.Tests.Support;

namespace Tastebuds.Tests.Database;

/// <summary>sql/0014 on a database whose tag reasons hold a run's own tag numbers.</summary>
public sealed class TagNamesMigrationTests
{
    [Test]
    public async Task Upgrading_unnames_the_tag_reasons_of_earlier_runs_so_they_never_name_an_unrelated_tag_and_keeps_the_other_reasons()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync(migrate: false);
        db.MigrateBefore("0014");
        await db.ExecuteAsync(
            """
            INSERT INTO lastfm_users (username) VALUES ('rj'), ('friend');
            INSERT INTO artists (name, name_key) VALUES ('Nightwish', 'nightwish');
            INSERT INTO tracks (artist_id, name, name_key) SELECT id, 'Stargazers', 'stargazers' FROM artists;
            INSERT INTO collaborative_recommendations (user_id, track_id, metric, recommendation_score, rank, supporting_neighbours,
                                                       evidence_kinds, evidence_ids, evidence_weights, evidence_contributions)
                SELECT u.id, t.id, 'hybrid', 0.75, 1, 2, '{3, 2, 3}', ARRAY[1, f.id, 2], '{0.5, 1, 0.25}', '{0.3, 0.2, 0.1}'
                FROM lastfm_users u, lastfm_users f, tracks t WHERE u.username = 'rj' AND f.username = 'friend';
            """);

        await db.MigrateAsync();
        // A tag registered after the upgrade gets id 1: the old reason "tag 1" must not come out under its name.
        await db.ExecuteAsync("INSERT INTO tags (name_key, name) VALUES ('doom', 'Doom'), ('folk', 'Folk')");

        var friend = await db.ScalarAsync<long>("SELECT id FROM lastfm_users WHERE username = 'friend'");
        var ids = await db.ScalarAsync<long[]>("SELECT evidence_ids FROM collaborative_recommendations");
        var explanation = JsonDocument.Parse(await db.ScalarAsync<string>("SELECT explanation::text FROM get_collaborative_recommendations('rj', 10)") ?? "{}").RootElement;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ids, Is.EqualTo(new[] { 0, friend, 0 }), "tag ids cleared, the friend kept, in order");
            Assert.That(explanation.GetProperty("tags").EnumerateArray().Select(t => t.TryGetProperty("tag", out _)), Has.All.False);
            Assert.That(explanation.GetProperty("text").GetString(),
                Is.EqualTo("tagged like what you play; your friend friend plays it; tagged like what you play"));
        }
    }
}
