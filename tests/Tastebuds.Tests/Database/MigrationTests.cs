using Dapper;
using Tastebuds.Tests.Support;
using Tastebuds.Worker.Database;

namespace Tastebuds.Tests.Database;

public sealed class MigrationTests
{
    private static readonly string[] Tables =
    [
        "lastfm_users", "user_track_interactions", "user_album_interactions", "user_artist_interactions",
        "user_similarities", "collaborative_recommendations", "data_fetch_logs", "artists", "albums", "tracks",
    ];

    private static readonly string[] Views = ["user_listening_stats", "track_popularity_across_users", "collaborative_recommendations_explained"];

    private static readonly (string Table, string Column)[] Columns =
    [
        ("data_fetch_logs", "started_at"), ("data_fetch_logs", "run_id"), ("data_fetch_logs", "job_type"),
        ("data_fetch_logs", "status"), ("data_fetch_logs", "finished_at"), ("data_fetch_logs", "duration_ms"),
        ("data_fetch_logs", "requests_made"), ("data_fetch_logs", "retries"), ("data_fetch_logs", "error_code"),
        ("data_fetch_logs", "error_message"), ("data_fetch_logs", "details"),
        ("user_similarities", "similarity_score"), ("user_similarities", "metric"), ("user_similarities", "shared_items"),
        ("user_similarities", "track_score"), ("user_similarities", "album_score"), ("user_similarities", "artist_score"),
        ("collaborative_recommendations", "recommendation_score"), ("collaborative_recommendations", "rank"),
        ("collaborative_recommendations", "evidence_kinds"), ("collaborative_recommendations", "evidence_ids"),
        ("collaborative_recommendations", "evidence_weights"), ("collaborative_recommendations", "evidence_contributions"),
        ("collaborative_recommendations", "popularity"), ("collaborative_recommendations", "supporting_neighbours"),
        ("collaborative_recommendations_explained", "explanation"), ("recommendation_methods", "code"),
        ("user_track_interactions", "play_count"), ("user_track_interactions", "is_loved"), ("user_track_interactions", "loved_at"),
        ("user_track_interactions", "tags"), ("user_track_interactions", "rank"), ("user_track_interactions", "period"),
        ("user_track_interactions", "updated_at"), ("lastfm_users", "username"), ("lastfm_users", "is_active"),
        ("lastfm_users", "last_fetched_at"), ("lastfm_users", "total_playcount"), ("lastfm_users", "registered_at"),
        ("tracks", "mbid"), ("tracks", "name_key"), ("artists", "name_key"), ("albums", "name_key"),
    ];

    private static readonly string[] Indexes =
    [
        "lastfm_users_username_uq", "user_track_interactions_track_idx", "user_album_interactions_album_idx",
        "user_artist_interactions_artist_idx",
        "collaborative_recommendations_pkey", "data_fetch_logs_started_idx", "data_fetch_logs_run_idx",
        "artists_name_key_uq", "albums_artist_name_key_uq", "tracks_artist_name_key_uq",
    ];

    private static readonly string[] Constraints =
    [
        "user_similarities_not_self", "user_track_interactions_has_signal", "data_fetch_logs_finished",
        "user_similarities_metric_check", "collaborative_recommendations_metric_check", "collaborative_recommendations_evidence_check",
        "data_fetch_logs_status_check", "data_fetch_logs_job_type_check", "user_track_interactions_play_count_check",
        "user_track_interactions_period_check",
    ];

    [Test]
    public async Task Migrations_on_an_empty_database_create_every_table_view_column_index_and_constraint()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync(migrate: false);
        var result = await db.MigrateAsync();

        await using var connection = await db.DataSource.OpenConnectionAsync();
        var tables = (await connection.QueryAsync<string>(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")).ToHashSet();
        var views = (await connection.QueryAsync<string>(
            "SELECT table_name FROM information_schema.views WHERE table_schema = 'public'")).ToHashSet();
        var columns = (await connection.QueryAsync<(string, string)>(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'")).ToHashSet();
        var indexes = (await connection.QueryAsync<string>("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'")).ToHashSet();
        var constraints = (await connection.QueryAsync<string>(
            "SELECT conname FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public'")).ToHashSet();
        var function = await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM pg_proc WHERE proname = 'get_collaborative_recommendations'");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Applied, Is.EqualTo(SchemaMigrator.Scripts.Select(s => s.Name)));
            Assert.That(tables, Is.SupersetOf(Tables));
            Assert.That(views, Is.SupersetOf(Views));
            Assert.That(columns, Is.SupersetOf(Columns));
            Assert.That(indexes, Is.SupersetOf(Indexes));
            Assert.That(constraints, Is.SupersetOf(Constraints));
            Assert.That(function, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Interactions_similarities_and_recommendations_cascade_when_a_user_is_deleted()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        await using var connection = await db.DataSource.OpenConnectionAsync();
        var fks = (await connection.QueryAsync<(string Table, string Rule)>(
            """
            SELECT c.conrelid::regclass::text,
                   CASE c.confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' WHEN 'r' THEN 'RESTRICT' WHEN 'd' THEN 'SET DEFAULT' ELSE 'NO ACTION' END
            FROM pg_constraint c
            WHERE c.contype = 'f' AND c.confrelid = 'lastfm_users'::regclass AND c.conparentid = 0
            """)).ToList();

        Assert.That(
            fks.Where(f => f.Table != "data_fetch_logs").Select(f => (f.Table, f.Rule)),
            Is.EquivalentTo(new[]
            {
                ("user_track_interactions", "CASCADE"), ("user_album_interactions", "CASCADE"),
                ("user_artist_interactions", "CASCADE"), ("user_similarities", "CASCADE"),
                ("user_similarities", "CASCADE"), ("collaborative_recommendations", "CASCADE"),
                ("recommendation_feedback", "CASCADE"), ("user_vector_stats", "CASCADE"), ("user_personal_tags", "CASCADE"),
                ("user_friends", "CASCADE"), ("user_friends", "CASCADE"),
            }));
    }

    [Test]
    public async Task A_second_migration_run_is_a_no_op()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        var journalBefore = await db.ScalarAsync<long>("SELECT count(*) FROM schemaversions");
        var schemaBefore = await db.ScalarAsync<string>(SchemaFingerprint);

        var second = await db.MigrateAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(second.Applied, Is.Empty);
            Assert.That(second.Version, Is.EqualTo(SchemaMigrator.Scripts[^1].Name));
            Assert.That(await db.ScalarAsync<long>("SELECT count(*) FROM schemaversions"), Is.EqualTo(journalBefore));
            Assert.That(await db.ScalarAsync<string>(SchemaFingerprint), Is.EqualTo(schemaBefore));
        }
    }

    [Test]
    public async Task Two_migrators_started_at_the_same_moment_both_succeed_and_apply_every_script_once()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync(migrate: false);
        using var start = new ManualResetEventSlim();

        var first = Task.Run(async () => { start.Wait(); return await db.MigrateAsync(); });
        var second = Task.Run(async () => { start.Wait(); return await db.MigrateAsync(); });
        start.Set();
        var results = await Task.WhenAll(first, second);

        await using var connection = await db.DataSource.OpenConnectionAsync();
        var journal = (await connection.QueryAsync<string>("SELECT scriptname FROM schemaversions")).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(journal, Is.EquivalentTo(SchemaMigrator.Scripts.Select(s => s.Name)), "each script journalled exactly once");
            Assert.That(results.Sum(r => r.Applied.Count), Is.EqualTo(SchemaMigrator.Scripts.Count), "scripts split between the two runs");
        }
    }

    [Test]
    public async Task A_failing_script_stops_with_its_name_and_the_postgresql_error()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync(migrate: false);
        // A table in the way makes the first script fail the way a hand-made change on production would.
        await db.ExecuteAsync("CREATE TABLE artists (id int)");

        var failure = Assert.ThrowsAsync<MigrationFailedException>(db.MigrateAsync);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(failure!.Script, Is.EqualTo(SchemaMigrator.Scripts[0].Name));
            Assert.That(failure.Message, Does.Contain("artists").And.Contain("already exists"));
            Assert.That(await db.ScalarAsync<bool>("SELECT to_regclass('public.lastfm_users') IS NULL"), Is.True,
                "the failed script rolled back whole");
        }
    }

    private const string SchemaFingerprint =
        """
        SELECT md5(string_agg(table_name || '.' || column_name || ':' || data_type, ',' ORDER BY table_name, column_name))
        FROM information_schema.columns WHERE table_schema = 'public'
        """;
}
