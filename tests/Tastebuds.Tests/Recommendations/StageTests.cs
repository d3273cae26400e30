using Dapper;
using Tastebuds.Core;
using Tastebuds.Core.Similarity;
using Tastebuds.Worker.Similarity;

namespace Tastebuds.Tests.Recommendations;

/// <summary>The similarity and recommendation stages after a real fetch of sandbox users (one database for the fixture; tests run one at a time).</summary>
[NonParallelizable]
public sealed partial class StageTests
{
    private const double Threshold = 0.1;
    private const int MinShared = 5;
    private const int MaxPerArtist = 1;
    private StageScenario _scenario = null!;

    [OneTimeSetUp]
    public async Task FetchSandboxUsers() => _scenario = await StageScenario.StartAsync(users: 60, seed: 1);

    [OneTimeTearDown]
    public async Task Drop() => await _scenario.DisposeAsync();

    private static Dictionary<string, string?> Settings => new()
    {
        ["Recommender"] = "userknn",
        ["PrimaryMetric"] = "all",
        ["SimilarityThreshold"] = Threshold.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["MaxTracksPerArtist"] = MaxPerArtist.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RecommendationsPerUser"] = "20",
    };

    [Test]
    public async Task Neighbours_and_recommendations_keep_every_rule_of_the_algorithm_and_the_explanations_name_stored_neighbours()
    {
        var similarities = await (await _scenario.RecalculatorAsync(Settings)).RecalculateAsync(CancellationToken.None);
        var recommendations = await (await _scenario.GeneratorAsync(Settings)).GenerateAsync(CancellationToken.None);
        var db = _scenario.Database;
        TestContext.Out.WriteLine($"similarities: {similarities}\nrecommendations: {recommendations}");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(similarities.Users, Is.GreaterThan(50), "private users are skipped, the rest have data");
            Assert.That(similarities.RowsWritten, Is.EqualTo(await db.ScalarAsync<long>("SELECT count(*) FROM user_similarities")).And.GreaterThan(0));
            Assert.That(similarities.RowsWritten, Is.EqualTo(similarities.CosineNeighbours + similarities.JaccardNeighbours + similarities.PearsonNeighbours));
            Assert.That(recommendations.RowsWritten, Is.EqualTo(await db.ScalarAsync<long>("SELECT count(*) FROM collaborative_recommendations")).And.GreaterThan(0));
            Assert.That(recommendations.Metrics, Is.EqualTo(new[] { "cosine", "jaccard", "pearson" }));
            Assert.That(recommendations.NeighboursComputedAt, Is.EqualTo(similarities.ComputedAt));

            Assert.That(await db.ScalarAsync<long>(
                "SELECT count(*) FROM collaborative_recommendations cr JOIN user_track_interactions i USING (user_id, track_id)"),
                Is.Zero, "a recommended track the user already has");
            Assert.That(await db.ScalarAsync<long>(
                """
                SELECT count(*) FROM (SELECT cr.user_id, cr.metric, t.artist_id FROM collaborative_recommendations cr
                JOIN tracks t ON t.id = cr.track_id GROUP BY 1, 2, 3 HAVING count(*) > 1) x
                """), Is.Zero, "more than MaxTracksPerArtist = 1 tracks of one artist for a user");
            Assert.That(await db.ScalarAsync<long>(
                "SELECT count(*) FROM (SELECT user_id, metric FROM collaborative_recommendations GROUP BY 1, 2 HAVING min(rank) <> 1 OR max(rank) <> count(*) OR count(*) > 20) x"),
                Is.Zero, "recommendation ranks are not 1..n");
            Assert.That(await db.ScalarAsync<long>(
                "SELECT count(*) FROM (SELECT user_id, metric FROM user_similarities GROUP BY 1, 2 HAVING min(rank) <> 1 OR max(rank) <> count(*) OR count(DISTINCT rank) <> count(*) OR count(*) > 50) x"),
                Is.Zero, "neighbour ranks are not 1..K");
            Assert.That(await db.ScalarAsync<long>(
                $"SELECT count(*) FROM user_similarities WHERE similarity_score < {Threshold} OR shared_items < {MinShared} OR shared_items <> shared_tracks + shared_albums + shared_artists"),
                Is.Zero, "a neighbour under the threshold or sharing too little");
            Assert.That(await db.ScalarAsync<long>(
                "SELECT count(*) FROM user_similarities s WHERE EXISTS (SELECT 1 FROM user_similarities b WHERE b.user_id = s.user_id AND b.metric = s.metric AND b.rank < s.rank AND b.similarity_score < s.similarity_score)"),
                Is.Zero, "ranks follow the score");

            // Every named contributor is a stored neighbour of that user for that metric, with the stored similarity.
            Assert.That(await db.ScalarAsync<long>(
                """
                WITH cr AS MATERIALIZED (SELECT * FROM collaborative_recommendations_explained)
                SELECT count(*) FROM cr
                CROSS JOIN LATERAL jsonb_array_elements(cr.explanation -> 'neighbours') n
                WHERE NOT EXISTS (SELECT 1 FROM user_similarities s JOIN lastfm_users v ON v.id = s.similar_user_id
                                  WHERE s.user_id = cr.user_id AND s.metric = cr.metric AND v.username = n ->> 'username'
                                    AND abs(s.similarity_score - (n ->> 'similarity')::float8) < 1e-12)
                """), Is.Zero, "an explanation names someone who is not a stored neighbour");
            Assert.That(await db.ScalarAsync<long>(
                "SELECT count(*) FROM collaborative_recommendations_explained cr CROSS JOIN LATERAL jsonb_array_elements(cr.explanation -> 'neighbours') n"),
                Is.GreaterThan(0), "explanations list neighbours");
            Assert.That(await db.ScalarAsync<long>(
                """
                WITH cr AS MATERIALIZED (SELECT * FROM collaborative_recommendations_explained)
                SELECT count(*) FROM cr
                WHERE (explanation ->> 'supporting_neighbours')::int <> supporting_neighbours
                   OR coalesce(explanation ->> 'text', '') = '' OR explanation -> 'neighbours' IS NULL
                   OR jsonb_array_length(explanation -> 'neighbours') > supporting_neighbours
                   OR explanation ->> 'metric' <> metric
                   OR abs((explanation ->> 'evidence')::float8 + (explanation ->> 'popularity')::float8 - recommendation_score) > 1e-6 * greatest(1, recommendation_score)
                   OR (SELECT sum((n ->> 'contribution')::float8) FROM jsonb_array_elements(explanation -> 'neighbours') n) > (explanation ->> 'evidence')::float8 * (1 + 1e-6) + 1e-9
                """), Is.Zero, "explanation fields disagree with the row (stored as real: 7 digits)");

            Assert.That(await db.ScalarAsync<long>(
                $"""
                SELECT count(*) FROM data_fetch_logs
                WHERE run_id = '{similarities.RunId}' AND job_type = 'recalculate_similarities' AND status = 'succeeded'
                  AND items_written = {similarities.RowsWritten} AND duration_ms IS NOT NULL
                  AND (details ->> 'users')::int = {similarities.Users} AND (details ->> 'pairs_evaluated')::bigint = {similarities.PairsEvaluated}
                  AND (details -> 'neighbours' ->> 'pearson')::bigint = {similarities.PearsonNeighbours}
                """), Is.EqualTo(1), "one succeeded recalculate_similarities log row with the counts");
            Assert.That(await db.ScalarAsync<long>(
                $"SELECT count(*) FROM data_fetch_logs WHERE run_id = '{recommendations.RunId}' AND job_type = 'generate_recommendations' AND status = 'succeeded' AND items_written = {recommendations.RowsWritten}"),
                Is.EqualTo(1), "one succeeded generate_recommendations log row");
        }
    }

    [Test]
    public async Task Stored_neighbours_match_an_independent_recomputation_through_core_on_the_same_rows()
    {
        await (await _scenario.RecalculatorAsync()).RecalculateAsync(CancellationToken.None);
        await using var connection = await _scenario.Database.DataSource.OpenConnectionAsync();

        // Plain SELECTs, not the worker's COPY reader.
        var rows = (await connection.QueryAsync<(long User, int Kind, long Item, long Plays, bool Loved)>(
            """
            SELECT i.user_id, 0, i.track_id, i.play_count, i.is_loved FROM user_track_interactions i JOIN lastfm_users u ON u.id = i.user_id AND u.is_active
            UNION ALL SELECT i.user_id, 1, i.album_id, i.play_count, i.loved_tracks > 0 FROM user_album_interactions i JOIN lastfm_users u ON u.id = i.user_id AND u.is_active
            UNION ALL SELECT i.user_id, 2, i.artist_id, i.play_count, i.loved_tracks > 0 FROM user_artist_interactions i JOIN lastfm_users u ON u.id = i.user_id AND u.is_active
            """)).Select(r => new Interaction(r.User, (ItemKind)r.Kind, r.Item, r.Plays, r.Loved)).ToList();
        var matrix = InteractionMatrix.Build(rows);
        var expected = NeighbourFinder.Compute(matrix, new SimilarityOptions { MaxDegreeOfParallelism = 1 }, CancellationToken.None);
        var stored = (await connection.QueryAsync<(long User, long Similar, string Metric, double Score, int Rank, int Shared)>(
            "SELECT user_id, similar_user_id, metric, similarity_score, rank, shared_items FROM user_similarities")).ToList();

        var spotChecked = Enumerable.Range(0, matrix.UserCount).Where(u => u % 7 == 0).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(stored, Has.Count.EqualTo(expected.Stats.NeighboursKept));
            foreach (var u in spotChecked)
            {
                foreach (var metric in Enum.GetValues<SimilarityMetric>())
                {
                    // Stored as real (sql/0007): the same value rounded to single precision.
                    var want = expected.Of(u, metric).Select(n => (matrix.UserId(n.User), Math.Round((double)(float)n.Score, 9), n.SharedItems)).ToList();
                    var got = stored.Where(s => s.User == matrix.UserId(u) && s.Metric == MetricNames.Of(metric)).OrderBy(s => s.Rank)
                        .Select(s => (s.Similar, Math.Round(s.Score, 9), s.Shared)).ToList();
                    Assert.That(got, Is.EqualTo(want), $"user {matrix.UserId(u)}, {metric}");
                }
            }

            Assert.That(spotChecked.Sum(u => expected.Of(u, SimilarityMetric.Cosine).Count), Is.GreaterThan(0), "the spot check is not vacuous");
        }
    }
}
