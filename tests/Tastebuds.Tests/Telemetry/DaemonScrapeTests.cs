using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Tastebuds.Tests.Ops;
using Tastebuds.Tests.Support;
using Tastebuds.Worker.Telemetry;
using YamlDotNet.RepresentationModel;

namespace Tastebuds.Tests.Telemetry;

/// <summary>
/// The daemon as a separate process on a ~30-user sandbox, with the fetch firing every two seconds, until fetch,
/// similarities and recommendations have each succeeded; then one scrape of /metrics must hold every documented
/// instrument with sensible values, every metric the dashboard and the alerts use, and the library meters.
/// </summary>
[NonParallelizable]
public sealed class DaemonScrapeTests
{
    private static readonly string[] Jobs =
        ["fetch_users", "recalculate_similarities", "generate_recommendations"];

    [Test]
    public async Task After_a_demo_sized_run_the_scrape_has_every_documented_instrument_every_dashboard_and_alert_metric_and_the_library_meters()
    {
        var clock = Stopwatch.StartNew();
        await using var daemon = await DemoSizedDaemon.StartAsync("daemon-scrape-key");
        var (sandbox, worker, port) = (daemon.Sandbox, daemon.Worker, daemon.Port);
        await daemon.EveryStageSucceededAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
        var documented = TastebudsInstruments.All.Select(i => i.PrometheusName).ToList();
        PrometheusText scrape = null!;
        await Eventually.WaitUntilAsync(async () =>
        {
            scrape = PrometheusText.Parse(await http.GetStringAsync("metrics"));
            // The health gauge is there from the start at 0; 1 once the periodic checks ran (5 s after start). The fetch
            // fires every two seconds: a scrape taken while a request is being counted can hold its duration and not yet
            // its count, so the two are compared on a scrape between requests.
            return documented.All(scrape.Types.ContainsKey) && Jobs.All(j => HasSeries(scrape, "tastebuds_job_last_success_age_seconds", ("job", j)))
                && Sum(scrape, "tastebuds_health_status", ("check", "heartbeat")) == 1
                && Sum(scrape, "tastebuds_lastfm_request_duration_seconds_count") == Sum(scrape, "tastebuds_lastfm_requests_total");
        }, TimeSpan.FromSeconds(30), "every documented instrument in /metrics, the requests' durations and counts equal");
        var emitted = scrape.Samples.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var libraries = string.Join(", ", scrape.Types.Keys.Where(k => !k.StartsWith("tastebuds_", StringComparison.Ordinal)).Order());
        await TestContext.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"daemon scrape after {clock.Elapsed.TotalSeconds:0.0} s: {scrape.Types.Count} families, {scrape.Samples.Count} samples; {libraries}"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(documented.Where(n => !scrape.Types.ContainsKey(n)), Is.Empty, "documented instruments missing");
            Assert.That(Sum(scrape, "tastebuds_lastfm_requests_total", ("outcome", "success")), Is.GreaterThan(0));
            Assert.That(Sum(scrape, "tastebuds_lastfm_requests_total", ("outcome", "error")), Is.GreaterThan(0), "errors 6 and 17 of skipped users");
            Assert.That(Sum(scrape, "tastebuds_lastfm_request_duration_seconds_count"), Is.EqualTo(Sum(scrape, "tastebuds_lastfm_requests_total")));
            Assert.That(Sum(scrape, "tastebuds_lastfm_retries_total"), Is.GreaterThan(0));
            Assert.That(Sum(scrape, "tastebuds_lastfm_rate_limit_wait_seconds_count"), Is.GreaterThan(0));
            Assert.That(Sum(scrape, "tastebuds_users_fetched_total", ("status", "succeeded")), Is.GreaterThanOrEqualTo(30 - sandbox.World.Users.Count(u => u.IsPrivate)));
            Assert.That(Sum(scrape, "tastebuds_users_fetched_total", ("status", "skipped")), Is.GreaterThanOrEqualTo(2));
            foreach (var kind in new[] { "track", "album", "artist" })
            {
                Assert.That(Sum(scrape, "tastebuds_items_stored_total", ("kind", kind)), Is.GreaterThan(0), kind);
            }

            foreach (var job in Jobs)
            {
                Assert.That(Sum(scrape, "tastebuds_job_runs_total", ("job", job), ("status", "succeeded")), Is.GreaterThanOrEqualTo(1), job);
                Assert.That(Sum(scrape, "tastebuds_job_duration_seconds_count", ("job", job)), Is.GreaterThanOrEqualTo(1), job);
                Assert.That(Sum(scrape, "tastebuds_job_last_success_age_seconds", ("job", job)), Is.InRange(0, 120), job);
            }

            Assert.That(Sum(scrape, "tastebuds_similarity_pairs_total"), Is.GreaterThan(0));
            foreach (var metric in new[] { "cosine", "jaccard", "pearson" })
            {
                Assert.That(Sum(scrape, "tastebuds_similarity_neighbours_total", ("metric", metric)), Is.GreaterThan(0), metric);
            }

            Assert.That(Sum(scrape, "tastebuds_recommendations_written_total", ("metric", "hybrid")), Is.GreaterThan(0), "the default method, Algorithm:Recommender = hybrid");
            foreach (var check in new[] { "heartbeat", "database", "migrations", "scheduler" })
            {
                Assert.That(Sum(scrape, "tastebuds_health_status", ("check", check)), Is.EqualTo(1), check);
            }

            Assert.That(OpsMetricNames().Where(n => !emitted.Contains(n)).Distinct(), Is.Empty, "dashboard and alert metrics the worker did not emit");
            Assert.That(scrape.Types.Keys.Where(k => k.StartsWith("dotnet_", StringComparison.Ordinal)), Is.Not.Empty, "runtime meter");
            Assert.That(scrape.Types.Keys.Where(k => k.StartsWith("http_client_", StringComparison.Ordinal)), Is.Not.Empty, "HttpClient meter");
            Assert.That(scrape.Types.Keys.Where(k => k.StartsWith("db_client_", StringComparison.Ordinal)), Is.Not.Empty, "Npgsql meter");
            Assert.That(scrape.Types.Keys.Where(k => k.StartsWith("quartz_", StringComparison.Ordinal)), Is.Not.Empty, "Quartz meter");
            Assert.That(scrape.Types.Keys.Where(k => k.StartsWith("resilience_polly_", StringComparison.Ordinal)), Is.Not.Empty, "Polly meter");
        }

        worker.Signal(15);
        Assert.That(await worker.WaitForExitAsync(TimeSpan.FromSeconds(45)), Is.Zero, worker.StandardError);
    }

    /// <summary>Every metric a dashboard panel or an alert rule selects, from their PromQL; <c>up</c> is Prometheus's own.</summary>
    private static List<string> OpsMetricNames()
    {
        using var dashboard = JsonDocument.Parse(RepositoryFiles.Read("ops", "grafana", "tastebuds-dashboard.json"));
        var panels = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .Where(p => p.TryGetProperty("targets", out _))
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .Select(t => t.GetProperty("expr").GetString()!);
        var rules = RepositoryFiles.YamlDocuments("ops", "prometheus", "tastebuds-alerts.yaml").Single()
            .At("groups")!.AllNodes.OfType<YamlMappingNode>().Where(m => m.Text("alert") is not null).Select(m => m.Text("expr")!);
        var names = panels.Concat(rules).SelectMany(PromQlNames.Of).Where(n => n != "up").ToList();
        Assert.That(names, Has.Count.GreaterThan(10), "PromQL names were found");
        return names;
    }

    private static bool HasSeries(PrometheusText scrape, string name, params (string Key, string Value)[] labels) =>
        scrape.Named(name).Any(s => labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value));

    private static double Sum(PrometheusText scrape, string name, params (string Key, string Value)[] labels) =>
        scrape.Named(name).Where(s => labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).Sum(s => s.Value);

}
