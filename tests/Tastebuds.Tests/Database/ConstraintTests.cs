using Npgsql;
using Tastebuds.Tests.Support;

namespace Tastebuds.Tests.Database;

public sealed class ConstraintTests
{
    private TestDatabase _db = null!;

    [OneTimeSetUp]
    public async Task CreateDatabase()
    {
        _db = await TestPostgres.CreateDatabaseAsync();
        await _db.ExecuteAsync(
            """
            INSERT INTO lastfm_users (username) VALUES ('alice'), ('bob');
            INSERT INTO artists (name, name_key) VALUES ('Nightwish', 'nightwish');
            INSERT INTO tracks (artist_id, name, name_key) SELECT id, 'Stargazers', 'stargazers' FROM artists;
            """);
    }

    [OneTimeTearDown]
    public async Task DropDatabase() => await _db.DisposeAsync();

    [TestCase("negative play count", PostgresErrorCodes.CheckViolation,
        "INSERT INTO user_track_interactions (user_id, track_id, play_count) SELECT 1, id, -1 FROM tracks")]
    [TestCase("play count over 10^9", PostgresErrorCodes.CheckViolation,
        "INSERT INTO user_track_interactions (user_id, track_id, play_count) SELECT 1, id, 1000000001 FROM tracks")]
    [TestCase("total play count over 10^9", PostgresErrorCodes.CheckViolation,
        "UPDATE lastfm_users SET total_playcount = 9223372036854775807 WHERE username = 'alice'")]
    [TestCase("zero plays and no love", PostgresErrorCodes.CheckViolation,
        "INSERT INTO user_track_interactions (user_id, track_id, play_count, is_loved) SELECT 1, id, 0, false FROM tracks")]
    [TestCase("unknown status", PostgresErrorCodes.CheckViolation,
        "INSERT INTO data_fetch_logs (run_id, job_type, status) VALUES (gen_random_uuid(), 'fetch_user', 'maybe')")]
    [TestCase("unknown job type", PostgresErrorCodes.CheckViolation,
        "INSERT INTO data_fetch_logs (run_id, job_type, status) VALUES (gen_random_uuid(), 'mine_bitcoin', 'running')")]
    [TestCase("finished row without finished_at", PostgresErrorCodes.CheckViolation,
        "INSERT INTO data_fetch_logs (run_id, job_type, status) VALUES (gen_random_uuid(), 'fetch_user', 'succeeded')")]
    [TestCase("self-similarity", PostgresErrorCodes.CheckViolation,
        "INSERT INTO user_similarities (user_id, similar_user_id, metric, similarity_score, rank) VALUES (1, 1, 'cosine', 0.5, 1)")]
    [TestCase("unknown metric", PostgresErrorCodes.CheckViolation,
        "INSERT INTO user_similarities (user_id, similar_user_id, metric, similarity_score, rank) VALUES (1, 2, 'euclid', 0.5, 1)")]
    [TestCase("similarity above 1", PostgresErrorCodes.CheckViolation,
        "INSERT INTO user_similarities (user_id, similar_user_id, metric, similarity_score, rank) VALUES (1, 2, 'cosine', 1.5, 1)")]
    [TestCase("orphan interaction", PostgresErrorCodes.ForeignKeyViolation,
        "INSERT INTO user_track_interactions (user_id, track_id, play_count) SELECT 999, id, 3 FROM tracks")]
    [TestCase("orphan recommendation", PostgresErrorCodes.ForeignKeyViolation,
        "INSERT INTO collaborative_recommendations (user_id, track_id, metric, recommendation_score, rank, supporting_neighbours) VALUES (1, 999, 'cosine', 0.3, 1, 1)")]
    [TestCase("duplicate username in other case", PostgresErrorCodes.UniqueViolation,
        "INSERT INTO lastfm_users (username) VALUES ('ALICE')")]
    [TestCase("unknown period", PostgresErrorCodes.CheckViolation,
        "INSERT INTO user_track_interactions (user_id, track_id, play_count, period) SELECT 1, id, 3, 'weekly' FROM tracks")]
    public void Bad_rows_are_rejected(string what, string sqlState, string sql)
    {
        var error = Assert.ThrowsAsync<PostgresException>(() => _db.ExecuteAsync(sql), what);
        Assert.That(error!.SqlState, Is.EqualTo(sqlState), what);
    }

    [Test]
    public async Task Deleting_a_user_removes_their_interactions_similarities_and_recommendations()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        await db.ExecuteAsync(
            """
            INSERT INTO lastfm_users (username) VALUES ('carol'), ('dave');
            INSERT INTO artists (name, name_key) VALUES ('Björk', 'björk');
            INSERT INTO albums (artist_id, name, name_key) SELECT id, 'Homogenic', 'homogenic' FROM artists;
            INSERT INTO tracks (artist_id, name, name_key) SELECT id, 'Joga', 'joga' FROM artists;
            INSERT INTO user_track_interactions (user_id, track_id, play_count) SELECT u.id, t.id, 4 FROM lastfm_users u, tracks t;
            INSERT INTO user_album_interactions (user_id, album_id, play_count) SELECT u.id, a.id, 4 FROM lastfm_users u, albums a;
            INSERT INTO user_artist_interactions (user_id, artist_id, play_count) SELECT u.id, a.id, 4 FROM lastfm_users u, artists a;
            INSERT INTO user_similarities (user_id, similar_user_id, metric, similarity_score, rank)
                SELECT a.id, b.id, 'cosine', 0.9, 1 FROM lastfm_users a, lastfm_users b WHERE a.id <> b.id;
            INSERT INTO collaborative_recommendations (user_id, track_id, metric, recommendation_score, rank, supporting_neighbours)
                SELECT u.id, t.id, 'cosine', 0.4, 1, 1 FROM lastfm_users u, tracks t WHERE u.username = 'carol';
            INSERT INTO data_fetch_logs (run_id, job_type, username, user_id, status, finished_at)
                SELECT gen_random_uuid(), 'fetch_user', username, id, 'succeeded', now() FROM lastfm_users;
            DELETE FROM lastfm_users WHERE username = 'carol';
            """);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await db.ScalarAsync<long>("SELECT count(*) FROM user_track_interactions"), Is.EqualTo(1));
            Assert.That(await db.ScalarAsync<long>("SELECT count(*) FROM user_album_interactions"), Is.EqualTo(1));
            Assert.That(await db.ScalarAsync<long>("SELECT count(*) FROM user_artist_interactions"), Is.EqualTo(1));
            Assert.That(await db.ScalarAsync<long>("SELECT count(*) FROM user_similarities"), Is.Zero);
            Assert.That(await db.ScalarAsync<long>("SELECT count(*) FROM collaborative_recommendations"), Is.Zero);
            Assert.That(await db.ScalarAsync<long>("SELECT count(*) FROM data_fetch_logs"), Is.EqualTo(2), "logs are history: kept");
        }
    }

    [Test]
    public async Task Two_maximal_play_counts_of_one_track_sum_in_the_popularity_view_without_overflow()
    {
        // Its own track: the fixture's rows stay as the constraint cases expect.
        await _db.ExecuteAsync(
            """
            INSERT INTO tracks (artist_id, name, name_key) SELECT id, 'Ever Dream', 'ever dream' FROM artists;
            INSERT INTO user_track_interactions (user_id, track_id, play_count)
            SELECT u.id, t.id, 1000000000 FROM lastfm_users u, tracks t WHERE t.name = 'Ever Dream';
            """);

        Assert.That(await _db.ScalarAsync<long>("SELECT total_plays::bigint FROM track_popularity_across_users WHERE track_name = 'Ever Dream'"),
            Is.EqualTo(2_000_000_000));
    }

    [Test]
    public async Task A_partial_run_is_a_status_the_log_accepts()
    {
        await _db.ExecuteAsync("INSERT INTO data_fetch_logs (run_id, job_type, status, finished_at) VALUES (gen_random_uuid(), 'fetch_users', 'partial', now())");
        Assert.That(await _db.ScalarAsync<long>("SELECT count(*) FROM data_fetch_logs WHERE status = 'partial'"), Is.EqualTo(1));
    }
}
