using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Tastebuds.Tests.Support;
using Tastebuds.Worker.Cli;
using Tastebuds.Worker.Runs;
using Tastebuds.Worker.Telemetry;

namespace Tastebuds.Tests.Telemetry;

/// <summary>The real worker host, started once on a test database, with its operations listener on an ephemeral loopback port.</summary>
[NonParallelizable]
public sealed class OperationsListenerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private TestDatabase _db = null!;
    private IHost _host = null!;
    private HttpClient _http = null!;
    private TastebudsMetrics _metrics = null!;

    [OneTimeSetUp]
    public async Task StartWorker()
    {
        _db = await TestPostgres.CreateDatabaseAsync();
        // A recommendations run that succeeded an hour ago: the last-success gauge is seeded from it.
        await _db.ExecuteAsync("""
            INSERT INTO data_fetch_logs (run_id, job_type, status, started_at, finished_at)
            VALUES (gen_random_uuid(), 'generate_recommendations', 'succeeded', now() - interval '61 minutes', now() - interval '1 hour')
            """);
        _host = _db.BuildHost(new Dictionary<string, string?>
        {
            ["Telemetry:Port"] = "0",
            ["Telemetry:BindAddress"] = "127.0.0.1",
        });
        await WorkerHost.PrepareAsync(_host, CancellationToken.None);
        await _host.StartAsync();
        var port = _host.Services.GetRequiredService<TelemetryListener>().Port;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
        _metrics = _host.Services.GetRequiredService<TastebudsMetrics>();
    }

    [OneTimeTearDown]
    public async Task StopWorker()
    {
        _http?.Dispose();
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }

        if (_db is not null)
        {
            await _db.DisposeAsync();
        }
    }

    [Test]
    public async Task Metrics_endpoint_serves_every_Tastebuds_instrument_with_its_labels_and_values_once_recorded()
    {
        var now = _host.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        _metrics.RecordLastfmRequest("user.getTopTracks", TastebudsInstruments.Outcome.Transient, 29, TimeSpan.FromMilliseconds(200));
        _metrics.RecordLastfmRequest("user.getInfo", TastebudsInstruments.Outcome.Success, null, TimeSpan.FromMilliseconds(50));
        _metrics.RecordLastfmRetry("user.getTopTracks");
        _metrics.RecordRateLimitWait(TimeSpan.FromSeconds(1.5));
        _metrics.RecordUserFetched(StepStatus.Succeeded);
        _metrics.RecordUserFetched(StepStatus.Succeeded);
        _metrics.RecordUserFetched(StepStatus.Failed);
        _metrics.RecordItemsStored("track", 100);
        _metrics.RecordItemsStored("artist", 7);
        _metrics.RecordJobRun(JobType.FetchUsers, StepStatus.Succeeded, TimeSpan.FromSeconds(90), now);
        _metrics.RecordJobRun(JobType.RecalculateSimilarities, StepStatus.Failed, TimeSpan.FromSeconds(3), now);
        _metrics.RecordSimilarityPairs(45);
        _metrics.RecordSimilarityNeighbours("cosine", 10);
        _metrics.RecordRecommendationsWritten("cosine", 50);

        // Every documented family, and the health gauge's first periodic result (5 s after start; 0 until then).
        var expected = TastebudsInstruments.All.Select(i => i.PrometheusName).ToList();
        var scrape = await ScrapeUntilAsync(s => expected.All(s.Types.ContainsKey)
            && s.Named("tastebuds_health_status").Any(h => h.Labels["check"] == "heartbeat" && h.Value == 1));

        var durationSum = scrape.Value("tastebuds_lastfm_request_duration_seconds_sum", ("method", "user.getTopTracks"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Where(n => !scrape.Types.ContainsKey(n)), Is.Empty, "documented instruments missing from /metrics");
            Assert.That(scrape.Types["tastebuds_lastfm_requests_total"], Is.EqualTo("counter"));
            Assert.That(scrape.Types["tastebuds_lastfm_request_duration_seconds"], Is.EqualTo("histogram"));
            Assert.That(scrape.Types["tastebuds_job_last_success_age_seconds"], Is.EqualTo("gauge"));
            Assert.That(scrape.Value("tastebuds_lastfm_requests_total",
                ("method", "user.getTopTracks"), ("outcome", "transient"), ("error_code", "29")), Is.EqualTo(1));
            Assert.That(scrape.Value("tastebuds_lastfm_requests_total", ("method", "user.getInfo"), ("outcome", "success")), Is.EqualTo(1));
            Assert.That(scrape.Value("tastebuds_lastfm_request_duration_seconds_count",
                ("method", "user.getTopTracks"), ("outcome", "transient")), Is.EqualTo(1));
            Assert.That(durationSum, Is.EqualTo(0.2).Within(1e-9));
            Assert.That(scrape.Value("tastebuds_lastfm_request_duration_seconds_bucket",
                ("method", "user.getTopTracks"), ("le", "0.25")), Is.EqualTo(1));
            Assert.That(scrape.Value("tastebuds_lastfm_request_duration_seconds_bucket",
                ("method", "user.getTopTracks"), ("le", "0.1")), Is.Zero);
            Assert.That(scrape.Value("tastebuds_lastfm_retries_total", ("method", "user.getTopTracks")), Is.EqualTo(1));
            Assert.That(scrape.Value("tastebuds_lastfm_rate_limit_wait_seconds_sum"), Is.EqualTo(1.5).Within(1e-9));
            Assert.That(scrape.Value("tastebuds_users_fetched_total", ("status", "succeeded")), Is.EqualTo(2));
            Assert.That(scrape.Value("tastebuds_users_fetched_total", ("status", "failed")), Is.EqualTo(1));
            Assert.That(scrape.Value("tastebuds_items_stored_total", ("kind", "track")), Is.EqualTo(100));
            Assert.That(scrape.Value("tastebuds_items_stored_total", ("kind", "artist")), Is.EqualTo(7));
            Assert.That(scrape.Value("tastebuds_job_runs_total", ("job", "fetch_users"), ("status", "succeeded")), Is.EqualTo(1));
            Assert.That(scrape.Value("tastebuds_job_runs_total", ("job", "recalculate_similarities"), ("status", "failed")), Is.EqualTo(1));
            Assert.That(scrape.Value("tastebuds_job_duration_seconds_sum", ("job", "fetch_users")), Is.EqualTo(90));
            Assert.That(scrape.Value("tastebuds_job_last_success_age_seconds", ("job", "fetch_users")), Is.InRange(0, 60));
            Assert.That(scrape.Value("tastebuds_job_last_success_age_seconds", ("job", "generate_recommendations")),
                Is.InRange(3540, 3720), "seeded from data_fetch_logs");
            Assert.That(scrape.Named("tastebuds_job_last_success_age_seconds").Where(s => s.Labels["job"] == "recalculate_similarities"),
                Is.Empty, "a failed run is not a success");
            Assert.That(scrape.Value("tastebuds_similarity_pairs_total"), Is.EqualTo(45));
            Assert.That(scrape.Value("tastebuds_similarity_neighbours_total", ("metric", "cosine")), Is.EqualTo(10));
            Assert.That(scrape.Value("tastebuds_recommendations_written_total", ("metric", "cosine")), Is.EqualTo(50));
            Assert.That(scrape.Value("tastebuds_health_status", ("check", "heartbeat")), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Metrics_endpoint_also_serves_the_library_meters_and_answers_a_scrape_quickly()
    {
        var scrape = await ScrapeUntilAsync(s => s.Types.Keys.Any(k => k.StartsWith("dotnet_", StringComparison.Ordinal)));
        var latencies = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            // Past the exporter's 300 ms response cache, so that every scrape collects afresh.
            await Task.Delay(320);
            var watch = Stopwatch.StartNew();
            using var response = await _http.GetAsync("metrics");
            await response.Content.ReadAsStringAsync();
            latencies.Add(watch.Elapsed.TotalMilliseconds);
        }

        latencies.Sort();
        await TestContext.Out.WriteLineAsync($"/metrics scrape latency: median {latencies[2]:F1} ms, max {latencies[^1]:F1} ms; {scrape.Samples.Count} samples");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(scrape.Types.Keys.Where(k => k.StartsWith("dotnet_", StringComparison.Ordinal)), Is.Not.Empty, "runtime meter");
            Assert.That(scrape.Types.Keys.Where(k => k.StartsWith("db_client_", StringComparison.Ordinal)), Is.Not.Empty, "Npgsql meter");
            Assert.That(latencies[2], Is.LessThan(500));
        }
    }

    [Test]
    public async Task Liveness_answers_200_from_the_heartbeat_while_the_host_runs()
    {
        using var response = await _http.GetAsync("health/live");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            Assert.That(body.RootElement.GetProperty("status").GetString(), Is.EqualTo("Healthy"));
            Assert.That(body.RootElement.GetProperty("checks").GetProperty("heartbeat").GetProperty("status").GetString(), Is.EqualTo("Healthy"));
            Assert.That(body.RootElement.GetProperty("checks").TryGetProperty("database", out _), Is.False, "liveness never depends on the database");
        }
    }

    [Test]
    public async Task Readiness_turns_false_while_PostgreSQL_refuses_connections_and_true_when_it_is_back()
    {
        var ready = await ReadyUntilAsync(HttpStatusCode.OK);
        Assert.That(Checks(ready), Is.EqualTo(new Dictionary<string, string>
        {
            ["database"] = "Healthy", ["migrations"] = "Healthy", ["scheduler"] = "Healthy",
        }));

        var admin = await TestPostgres.AdminConnectionStringAsync();
        try
        {
            await AdminAsync(admin, $"ALTER DATABASE {_db.Name} ALLOW_CONNECTIONS false");
            await AdminAsync(admin, $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{_db.Name}'");
            var down = await ReadyUntilAsync(HttpStatusCode.ServiceUnavailable);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(down.GetProperty("status").GetString(), Is.EqualTo("Unhealthy"));
                Assert.That(Checks(down)["database"], Is.EqualTo("Unhealthy"));
                Assert.That(Checks(down)["migrations"], Is.EqualTo("Healthy"));
                Assert.That(down.GetProperty("checks").GetProperty("database").GetProperty("description").GetString(),
                    Does.Contain("database unreachable").Or.Contain("did not answer"));
            }
        }
        finally
        {
            await AdminAsync(admin, $"ALTER DATABASE {_db.Name} ALLOW_CONNECTIONS true");
        }

        var back = await ReadyUntilAsync(HttpStatusCode.OK);
        Assert.That(Checks(back)["database"], Is.EqualTo("Healthy"));
    }

    private static Dictionary<string, string> Checks(JsonElement body) =>
        body.GetProperty("checks").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetProperty("status").GetString()!);

    private static async Task AdminAsync(string admin, string sql)
    {
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<JsonElement> ReadyUntilAsync(HttpStatusCode wanted)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            using var response = await _http.GetAsync("health/ready");
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == wanted || deadline.Elapsed > Patience)
            {
                Assert.That(response.StatusCode, Is.EqualTo(wanted), text);
                return JsonDocument.Parse(text).RootElement.Clone();
            }

            await Task.Delay(200);
        }
    }

    private async Task<PrometheusText> ScrapeUntilAsync(Func<PrometheusText, bool> done)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            using var response = await _http.GetAsync("metrics");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
            var scrape = PrometheusText.Parse(await response.Content.ReadAsStringAsync());
            if (done(scrape) || deadline.Elapsed > Patience)
            {
                return scrape;
            }

            await Task.Delay(250);
        }
    }
}
