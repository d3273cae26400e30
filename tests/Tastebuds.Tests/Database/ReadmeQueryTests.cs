using System.Text.RegularExpressions;
using Tastebuds.Tests.Support;

namespace Tastebuds.Tests.Database;

/// <summary>The debug queries operators copy from the README's troubleshooting section run on the real schema.</summary>
public sealed partial class ReadmeQueryTests
{
    public static IEnumerable<TestCaseData> Queries()
    {
        var readme = Ops.RepositoryFiles.Read("README.md");
        var troubleshooting = readme[readme.IndexOf("## Troubleshooting", StringComparison.Ordinal)..];
        var index = 0;
        foreach (Match block in SqlBlock().Matches(troubleshooting))
        {
            yield return new TestCaseData(block.Groups[1].Value).SetArgDisplayNames($"query {++index}");
        }
    }

    [Test]
    public void The_readme_has_the_seed_debug_queries()
    {
        var queries = Queries().Select(q => (string)q.Arguments[0]!).ToList();

        Assert.That(queries, Has.Some.Contains("user_listening_stats")
            .And.Some.Contains("data_fetch_logs")
            .And.Some.Contains("user_similarities")
            .And.Some.Contains("collaborative_recommendations"));
    }

    [TestCaseSource(nameof(Queries))]
    public async Task A_readme_debug_query_runs_on_the_migrated_schema(string sql)
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        await db.ExecuteAsync(
            """
            INSERT INTO lastfm_users (username) VALUES ('rj'), ('zaratoustre');
            INSERT INTO artists (name, name_key) VALUES ('Nightwish', 'nightwish');
            INSERT INTO tracks (artist_id, name, name_key) SELECT id, 'Stargazers', 'stargazers' FROM artists;
            INSERT INTO user_track_interactions (user_id, track_id, play_count, is_loved)
                SELECT u.id, t.id, 9, true FROM lastfm_users u, tracks t WHERE u.username = 'zaratoustre';
            INSERT INTO user_similarities (user_id, similar_user_id, metric, similarity_score, shared_items, rank)
                SELECT a.id, b.id, 'cosine', 0.8, 7, 1 FROM lastfm_users a, lastfm_users b WHERE a.id <> b.id;
            INSERT INTO collaborative_recommendations (user_id, track_id, metric, recommendation_score, rank, supporting_neighbours,
                                                       evidence_kinds, evidence_ids, evidence_weights, evidence_contributions)
                SELECT u.id, t.id, 'cosine', 0.7, 1, 1, '{1}', ARRAY[z.id], '{0.8}', '{0.7}'
                FROM lastfm_users u, tracks t, lastfm_users z WHERE u.username = 'rj' AND z.username = 'zaratoustre';
            INSERT INTO data_fetch_logs (run_id, job_type, username, status, finished_at, error_code, error_message)
                VALUES (gen_random_uuid(), 'fetch_user', 'ghost', 'skipped', now(), 6, 'User not found');
            """);

        await using var command = db.DataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = 0;
        while (await reader.ReadAsync())
        {
            rows++;
        }

        Assert.That(rows, Is.GreaterThan(0), "each query finds the rows it is meant to show");
    }

    [GeneratedRegex("```sql\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex SqlBlock();
}
