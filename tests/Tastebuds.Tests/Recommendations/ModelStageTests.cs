using System.Globalization;
using System.Text.Json;
using Dapper;
using Tastebuds.Core;
using Tastebuds.Core.Models;
using Tastebuds.Tests.Core;
using Tastebuds.Worker.Recommendations;

namespace Tastebuds.Tests.Recommendations;

/// <summary>
/// The recommendation stage with each method of <c>Algorithm:Recommender</c>, after a real fetch from the sandbox and with
/// feedback recorded, read back through <c>get_collaborative_recommendations</c> as an application reads it.
/// </summary>
[NonParallelizable]
public sealed class ModelStageTests
{
    private const int MaxPerArtist = 2;
    private const int PerUser = 15;
    private StageScenario _scenario = null!;
    private (long User, long Track, string Kind)[] _feedback = [];

    [OneTimeSetUp]
    public async Task FetchSandboxUsersAndRecordFeedback()
    {
        _scenario = await StageScenario.StartAsync(users: 60, seed: 3);
        await (await _scenario.RecalculatorAsync(Settings(RecommenderNames.UserKnn))).RecalculateAsync(CancellationToken.None);

        // Every user-kNN and model run must leave these out: for 10 users, two tracks their neighbours hold that they
        // do not (so they would be candidates), one dismissed and one disliked; and one liked track.
        await using var connection = await _scenario.Database.DataSource.OpenConnectionAsync();
        _feedback = (await connection.QueryAsync<(long, long, string)>(
            """
            WITH picked AS (
                SELECT u.id AS user_id, c.track_id, row_number() OVER (PARTITION BY u.id ORDER BY c.holders DESC, c.track_id) AS n
                FROM (SELECT id FROM lastfm_users WHERE last_fetched_at IS NOT NULL ORDER BY id LIMIT 10) u
                CROSS JOIN LATERAL (
                    SELECT i.track_id, count(*) AS holders FROM user_similarities s
                    JOIN user_track_interactions i ON i.user_id = s.similar_user_id
                    WHERE s.user_id = u.id AND s.metric = 'cosine'
                      AND NOT EXISTS (SELECT 1 FROM user_track_interactions o WHERE o.user_id = u.id AND o.track_id = i.track_id)
                    GROUP BY i.track_id ORDER BY count(*) DESC, i.track_id LIMIT 3) c)
            INSERT INTO recommendation_feedback (user_id, track_id, kind)
            SELECT user_id, track_id, (ARRAY['dismissed', 'disliked', 'liked'])[n] FROM picked
            RETURNING user_id, track_id, kind
            """)).ToArray();
    }

    [OneTimeTearDown]
    public async Task Drop() => await _scenario.DisposeAsync();

    private static Dictionary<string, string?> Settings(string recommender) => new()
    {
        ["Recommender"] = recommender,
        ["MaxTracksPerArtist"] = MaxPerArtist.ToString(CultureInfo.InvariantCulture),
        ["RecommendationsPerUser"] = PerUser.ToString(CultureInfo.InvariantCulture),
    };

    [TestCase(RecommenderNames.UserKnn, "cosine", "neighbours")]
    [TestCase(RecommenderNames.ItemKnn, "item-knn", "items")]
    [TestCase(RecommenderNames.Rp3Beta, "rp3beta", "items")]
    [TestCase(RecommenderNames.Als, "als", "items")]
    [TestCase(RecommenderNames.Hybrid, "hybrid", "components")]
    public async Task Each_method_writes_explained_rows_that_keep_the_rules_and_the_read_function_returns_them(
        string recommender, string metric, string reasons)
    {
        Assert.That(_feedback.Count(f => f.Kind == "dismissed"), Is.GreaterThan(5), "feedback was recorded for the scenario");
        var result = await (await _scenario.GeneratorAsync(Settings(recommender))).GenerateAsync(CancellationToken.None);
        var db = _scenario.Database;
        await using var connection = await db.DataSource.OpenConnectionAsync();
        var users = (await connection.QueryAsync<(long Id, string Name)>(
            "SELECT DISTINCT u.id, u.username FROM collaborative_recommendations cr JOIN lastfm_users u ON u.id = cr.user_id ORDER BY u.id")).ToList();
        var read = new List<(long User, JsonElement Explanation, string Metric)>();
        foreach (var (id, name) in users)
        {
            foreach (var row in await connection.QueryAsync<(string Explanation, string Metric)>(
                "SELECT explanation::text, metric FROM get_collaborative_recommendations(@name, 1000)", new { name }))
            {
                read.Add((id, JsonDocument.Parse(row.Explanation).RootElement, row.Metric));
            }
        }

        var stored = await db.ScalarAsync<long>("SELECT count(*) FROM collaborative_recommendations");
        var details = await db.ScalarAsync<string>(
            $"SELECT details::text FROM data_fetch_logs WHERE run_id = '{result.RunId}' AND job_type = 'generate_recommendations' AND status = 'succeeded'");
        TestContext.Out.WriteLine($"{result}\n{details}\n{read.FirstOrDefault().Explanation}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Metrics, Is.EqualTo(new[] { metric }));
            Assert.That(result.RowsWritten, Is.EqualTo(stored));
            Assert.That(users, Has.Count.GreaterThan(40), "most fetched users get recommendations");
            Assert.That(await db.ScalarAsync<long>($"SELECT count(*) FROM collaborative_recommendations WHERE metric <> '{metric}'"), Is.Zero,
                "the generation holds only the configured method's rows");
            Assert.That(read, Has.Count.EqualTo(stored), "the read function returns every stored row (nothing rejected is stored)");
            Assert.That(read.Select(r => r.Metric).Distinct(), Is.EqualTo(new[] { metric }));

            Assert.That(read.Where(r => !r.Explanation.TryGetProperty("text", out var t) || string.IsNullOrWhiteSpace(t.GetString())).ToList(),
                Is.Empty, "a row without a readable explanation");
            Assert.That(read.Where(r => !r.Explanation.TryGetProperty(reasons, out var list) || list.GetArrayLength() == 0).ToList(),
                Is.Empty, $"a row without '{reasons}'");
            Assert.That(read.Select(r => ExplanationText.Reasons(r.Explanation).Count), Has.All.GreaterThan(0));

            Assert.That(await db.ScalarAsync<long>(
                "SELECT count(*) FROM collaborative_recommendations cr JOIN user_track_interactions i USING (user_id, track_id)"),
                Is.Zero, "a recommended track the user already has");
            Assert.That(await db.ScalarAsync<long>(
                "SELECT count(*) FROM collaborative_recommendations cr JOIN recommendation_feedback f USING (user_id, track_id)"),
                Is.Zero, "a dismissed, disliked or liked track came back");
            Assert.That(await db.ScalarAsync<long>(
                """
                SELECT count(*) FROM (SELECT cr.user_id, t.artist_id FROM collaborative_recommendations cr
                JOIN tracks t ON t.id = cr.track_id GROUP BY 1, 2 HAVING count(*) > 2) x
                """), Is.Zero, $"more than MaxTracksPerArtist = {MaxPerArtist} tracks of one artist for a user");
            Assert.That(await db.ScalarAsync<long>(
                $"SELECT count(*) FROM (SELECT user_id FROM collaborative_recommendations GROUP BY 1 HAVING min(rank) <> 1 OR max(rank) <> count(*) OR count(*) > {PerUser}) x"),
                Is.Zero, "ranks are not 1..n or a list is too long");
            Assert.That(await db.ScalarAsync<long>(
                "SELECT count(*) FROM collaborative_recommendations a JOIN collaborative_recommendations b ON a.user_id = b.user_id AND a.rank < b.rank AND a.recommendation_score < b.recommendation_score"),
                Is.Zero, "ranks follow the score");

            // Item reasons are tracks the user plays (or liked); neighbour reasons are the user's stored neighbours.
            Assert.That(await db.ScalarAsync<long>(
                """
                SELECT count(*) FROM collaborative_recommendations cr
                CROSS JOIN LATERAL unnest(cr.evidence_kinds, cr.evidence_ids) AS e(kind, id)
                WHERE (e.kind = 0 AND NOT EXISTS (SELECT 1 FROM user_track_interactions i WHERE i.user_id = cr.user_id AND i.track_id = e.id)
                                  AND NOT EXISTS (SELECT 1 FROM recommendation_feedback f WHERE f.user_id = cr.user_id AND f.track_id = e.id AND f.kind = 'liked'))
                   OR (e.kind = 1 AND NOT EXISTS (SELECT 1 FROM user_similarities s WHERE s.user_id = cr.user_id AND s.similar_user_id = e.id))
                """), Is.Zero, "a reason that is not the user's own track or stored neighbour");
            if (metric == "hybrid")
            {
                Assert.That(read.Select(r => r.Explanation.GetProperty("components").EnumerateArray().Sum(c => c.GetProperty("share").GetDouble())),
                    Has.All.EqualTo(1.0).Within(1e-5), "the components' shares add up to 1");
                Assert.That(read.Count(r => r.Explanation.TryGetProperty("items", out _)), Is.GreaterThan(read.Count / 2),
                    "the largest component's reasons follow the shares");
            }

            Assert.That(details, Does.Contain($"\"method\": \"{metric}\"").Or.Contain($"\"metrics\": \"{metric}\""));
            var summary = Worker.Runs.StageSummary.Of(result);
            Assert.That(summary, recommender == RecommenderNames.UserKnn
                ? Does.Contain("stored neighbours")
                : Does.Match($@"^Recommendations: [\d,]+ written for \d+ of \d+ users \({metric}; model fitted in [\d.]+ s, lists ranked and explained in [\d.]+ s\)")
                    .And.Not.Contain("stored neighbours"), "a model run says what it did, not that it read 0 neighbours");
            if (recommender != RecommenderNames.UserKnn)
            {
                Assert.That(details, Does.Contain("\"fit_ms\"").And.Contain("\"score_ms\"").And.Contain("\"write_ms\""),
                    "the run row carries the fit / score (ranked and explained) / write split");
            }
        }
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task A_model_run_that_fails_or_is_cancelled_in_the_middle_of_its_stream_keeps_the_previous_generation(bool cancel)
    {
        var before = await (await _scenario.GeneratorAsync(Settings(RecommenderNames.Rp3Beta))).GenerateAsync(CancellationToken.None);
        var db = _scenario.Database;
        var input = new ModelInput(InteractionMatrix.Build(ClusterWorld.Create(30, seed: 5)), ItemKind.Track);
        using var stop = new CancellationTokenSource();
        // At user 40, the sixth block of 8: earlier blocks have reached the COPY by then (at most 2 wait in the channel).
        var failing = new FailingModel(new Rp3BetaModel().Fit(input, CancellationToken.None), 40, () =>
        {
            if (cancel)
            {
                stop.Cancel();
            }
            else
            {
                throw new InvalidOperationException("explain failed (test)");
            }
        });
        var streamed = 0L;
        async IAsyncEnumerable<RecommendationRow> Counted(IAsyncEnumerable<RecommendationRow> rows)
        {
            await foreach (var row in rows)
            {
                Interlocked.Increment(ref streamed);
                yield return row;
            }
        }

        Exception? caught;
        await using (var connection = await db.DataSource.OpenConnectionAsync())
        {
            caught = Assert.CatchAsync(async () =>
            {
                await using var rows = ModelRows.Start(failing, new RankingRules(10, null, int.MaxValue, null), new Dictionary<string, short>(), -1,
                    stop.Token, blockUsers: 8);
                await RecommendationWriter.ReplaceAsync(db.DataSource, Counted(rows.ReadAllAsync(stop.Token)), RecommendationWriter.Splits(failing.Input.Matrix, 2),
                    new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero),
                    TimeSpan.FromMinutes(1), stop.Token);
            });
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(caught, cancel ? Is.InstanceOf<OperationCanceledException>() : Is.InstanceOf<InvalidOperationException>().With.Message.EqualTo("explain failed (test)"));
            Assert.That(streamed, Is.GreaterThan(0), "rows of earlier blocks were on their way into the COPY");
            Assert.That(await db.ScalarAsync<long>("SELECT count(*) FROM collaborative_recommendations"), Is.EqualTo(before.RowsWritten));
            Assert.That(await db.ScalarAsync<DateTime>("SELECT min(generated_at) FROM collaborative_recommendations"), Is.EqualTo(before.GeneratedAt.UtcDateTime));
            Assert.That(await db.ScalarAsync<DateTime>("SELECT max(generated_at) FROM collaborative_recommendations"), Is.EqualTo(before.GeneratedAt.UtcDateTime));
            Assert.That(await db.ScalarAsync<long>("SELECT count(DISTINCT regexp_replace(relname, '_[0-9]+$', '')) FROM pg_class WHERE relname LIKE 'collaborative\\_recommendations\\_g%' AND relkind = 'r'"),
                Is.EqualTo(1), "one generation remains: the stopped run left no table behind");
        }
    }

    /// <summary>A fitted model whose explanation of one user calls <c>stop</c> (which throws, or cancels the run).</summary>
    private sealed class FailingModel(ITrainedModel inner, int atUser, Action stop) : ITrainedModel
    {
        public string Name => inner.Name;

        public ModelInput Input => inner.Input;

        public void Score(int user, Span<double> scores) => inner.Score(user, scores);

        public ModelExplanation Explain(int user, int item) => inner.Explain(user, item);

        public IReadOnlyList<ModelExplanation> ExplainAll(int user, IReadOnlyList<int> items)
        {
            if (user == atUser)
            {
                stop();
            }

            return inner.ExplainAll(user, items);
        }
    }
}
