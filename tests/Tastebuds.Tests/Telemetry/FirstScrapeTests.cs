using Microsoft.Extensions.DependencyInjection;
using Tastebuds.Tests.Support;
using Tastebuds.Worker.Cli;
using Tastebuds.Worker.Telemetry;

namespace Tastebuds.Tests.Telemetry;

/// <summary>A freshly started worker, before any job ran: alerts built on absent() or increase() must see every family at once.</summary>
[NonParallelizable]
public sealed class FirstScrapeTests
{
    [Test]
    public async Task The_first_scrape_of_a_fresh_worker_has_every_documented_counter_and_health_family_at_zero()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        using var host = db.BuildHost();
        await WorkerHost.PrepareAsync(host, CancellationToken.None);
        await host.StartAsync();
        try
        {
            var port = host.Services.GetRequiredService<TelemetryListener>().Port;
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };

            var scrape = PrometheusText.Parse(await http.GetStringAsync("metrics"));

            // Not the histograms: a 0 would count as an observation. Not the last-success age: a job that never
            // succeeded has no age (documented), and 0 would say it just did.
            var expected = TastebudsInstruments.All
                .Where(i => i.Kind != TastebudsInstruments.Histogram && i.Name != TastebudsInstruments.JobLastSuccessAge)
                .Select(i => i.PrometheusName);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(expected.Where(n => !scrape.Types.ContainsKey(n)), Is.Empty, "documented families missing from the first scrape");
                Assert.That(scrape.Samples.Where(s => s.Name.StartsWith("tastebuds_", StringComparison.Ordinal) && s.Value != 0).Select(s => s.Name),
                    Is.Empty, "nothing measured yet");
                Assert.That(scrape.Value("tastebuds_users_fetched_total", ("status", "failed")), Is.Zero);
                Assert.That(scrape.Value("tastebuds_job_runs_total", ("job", "fetch_users"), ("status", "partial")), Is.Zero);
                Assert.That(scrape.Value("tastebuds_lastfm_requests_total", ("outcome", "timeout")), Is.Zero);
                foreach (var method in new[] { "cosine", "jaccard", "pearson", "item-knn", "rp3beta", "als", "hybrid" })
                {
                    Assert.That(scrape.Value("tastebuds_recommendations_written_total", ("metric", method)), Is.Zero,
                        $"recommendations written by {method}: every method of Algorithm:Recommender has a series before its first run");
                }

                Assert.That(scrape.Value("tastebuds_health_status", ("check", "scheduler")), Is.Zero, "not passed yet: the first run is 5 s after start");
            }
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
