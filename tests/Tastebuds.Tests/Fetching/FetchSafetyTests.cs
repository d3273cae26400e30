using System.Diagnostics.Metrics;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Tastebuds.Sandbox;
using Tastebuds.Tests.Support;
using Tastebuds.Worker.Lastfm;

namespace Tastebuds.Tests.Fetching;

public sealed class FetchSafetyTests
{
    private static readonly Dictionary<string, string?> FullFetches = new()
    {
        ["Fetching:FullRefreshAfter"] = "00:00:00",
        ["Fetching:TagsRefreshAfter"] = "00:00:00",
    };

    [Test]
    public async Task The_request_rate_measured_at_the_sandbox_never_exceeds_the_configured_limit()
    {
        // A "minute" of two seconds keeps the test short; the limiter keeps one segment (W/18, 111 ms) of slack
        // for the time a request takes to reach the sandbox, which a loaded CI machine can stretch.
        const int limit = 16;
        var window = TimeSpan.FromSeconds(2);
        await using var scenario = await FetchScenario.StartAsync(
            new SandboxOptions { Users = 8, Seed = 21, PrivateUserFraction = 0, MissingUsernames = 0 },
            settings: new Dictionary<string, string?> { ["RateLimiting:MaxRequestsPerMinute"] = $"{limit}" },
            services: s => s.Configure<RateLimitingOptions>(o => o.Window = window));

        var result = await scenario.FetchAsync();

        var times = scenario.Sandbox.RequestLog.Snapshot().Select(r => r.Timestamp).Order().ToList();
        var busiest = times.Select((t, i) => times.Skip(i).TakeWhile(u => u - t < window).Count()).Max();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Succeeded, Is.EqualTo(8));
            Assert.That(times, Has.Count.GreaterThan(3 * limit), "enough requests for the limit to matter");
            Assert.That(busiest, Is.LessThanOrEqualTo(limit), $"most requests seen in any {window.TotalSeconds} s interval");
            Assert.That(busiest, Is.GreaterThanOrEqualTo(limit * 3 / 4), "the budget is used, not wasted");
        }
    }

    [Test]
    public async Task Cancelling_a_fetch_mid_user_keeps_that_users_previous_snapshot_whole_and_no_log_row_running()
    {
        // Every fetch a full one (change detection off): the second fetch of the same world must reach the save.
        await using var scenario = await FetchScenario.StartAsync(new SandboxOptions { Users = 6, Seed = 8, PrivateUserFraction = 0, MissingUsernames = 0 },
            settings: FullFetches);
        var user = scenario.Sandbox.World.Users.OrderByDescending(u => u.TopTracks.Count).First().Name;
        await scenario.Runner.RunAsync([user], null, CancellationToken.None);
        var db = scenario.Database;
        // Mark the stored snapshot, so that any write of a new one (whole or partial) would show.
        await db.ExecuteAsync("UPDATE user_track_interactions SET play_count = play_count + 1000000");
        var before = await DatabaseDump.EverythingAsync(db);

        // Hold a lock the save needs: the run is then cancelled inside its transaction, after the fetch.
        await using var blocker = await db.DataSource.OpenConnectionAsync();
        await using var hold = await blocker.BeginTransactionAsync();
        await blocker.ExecuteAsync("LOCK TABLE user_artist_interactions IN ACCESS EXCLUSIVE MODE", transaction: hold);
        using var cancel = new CancellationTokenSource();
        var run = scenario.Runner.RunAsync([user], null, cancel.Token);
        await Eventually.WaitUntilAsync(async () => await db.ScalarAsync<long>(
            "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'user_artist_interactions'::regclass") > 0);
        await cancel.CancelAsync();

        Assert.That(async () => await run, Throws.InstanceOf<OperationCanceledException>());
        await hold.RollbackAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await DatabaseDump.EverythingAsync(db), Is.EqualTo(before), "the previous snapshot is whole");
            Assert.That(await db.ScalarAsync<long>("SELECT count(*) FROM data_fetch_logs WHERE status = 'running'"), Is.Zero);
            Assert.That(await db.ScalarAsync<string>("SELECT status FROM data_fetch_logs WHERE job_type = 'fetch_user' ORDER BY id DESC LIMIT 1"),
                Is.EqualTo("cancelled"));
        }
    }

    [Test]
    public async Task Cancelling_during_the_requests_of_a_user_leaves_its_data_and_logs_consistent()
    {
        // Every fetch a full one (change detection off): the second run has enough requests to be cancelled among them.
        await using var scenario = await FetchScenario.StartAsync(new SandboxOptions { Users = 6, Seed = 8, PrivateUserFraction = 0, MissingUsernames = 0 },
            settings: FullFetches);
        await scenario.FetchAsync();
        var before = await DatabaseDump.EverythingAsync(scenario.Database);
        using var cancel = new CancellationTokenSource();
        var seen = scenario.Sandbox.RequestLog.Count;

        var run = scenario.FetchAsync(cancel.Token);
        await Eventually.WaitUntilAsync(() => Task.FromResult(scenario.Sandbox.RequestLog.Count >= seen + 9));
        await cancel.CancelAsync();

        Assert.That(async () => await run, Throws.InstanceOf<OperationCanceledException>());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await DatabaseDump.EverythingAsync(scenario.Database), Is.EqualTo(before), "same world: a finished user rewrites the same rows");
            Assert.That(await scenario.Database.ScalarAsync<long>("SELECT count(*) FROM data_fetch_logs WHERE status = 'running'"), Is.Zero);
            Assert.That(await scenario.Database.ScalarAsync<string>(
                "SELECT status FROM data_fetch_logs WHERE job_type = 'fetch_users' ORDER BY id DESC LIMIT 1"), Is.EqualTo("cancelled"));
        }
    }

    [Test]
    public async Task The_api_key_appears_nowhere_in_logs_data_fetch_logs_exception_text_or_metrics()
    {
        const string key = "sEcReT0123456789abcdefKEY";
        var measurements = new List<string>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) => l.EnableMeasurementEvents(instrument),
        };
        listener.SetMeasurementEventCallback<long>((i, _, tags, _) => Record(i, tags));
        listener.SetMeasurementEventCallback<double>((i, _, tags, _) => Record(i, tags));
        listener.SetMeasurementEventCallback<int>((i, _, tags, _) => Record(i, tags));
        listener.Start();

        await using var scenario = await FetchScenario.StartAsync(
            new SandboxOptions { Users = 12, Seed = 4, FaultRate = 0.3, ClientTimeout = TimeSpan.FromMilliseconds(500), ValidApiKeys = [key] },
            settings: new Dictionary<string, string?> { ["Lastfm:ApiKey"] = key, ["Lastfm:RequestTimeout"] = "00:00:00.500", ["Lastfm:MaxRetries"] = "1" });
        var result = await scenario.FetchAsync();
        var exceptions = new List<string>();
        try
        {
            await scenario.Host.Services.GetRequiredService<LastfmClient>().GetUserInfoAsync("nobody-at-all", CancellationToken.None);
        }
        catch (LastfmApiException e)
        {
            exceptions.Add(e.ToString());
        }

        await using var connection = await scenario.Database.DataSource.OpenConnectionAsync();
        var table = string.Join('\n', await connection.QueryAsync<string>("SELECT data_fetch_logs::text FROM data_fetch_logs"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Failed + result.Retries, Is.GreaterThan(0), "faults made errors to log");
            Assert.That(exceptions, Is.Not.Empty);
            Assert.That(scenario.Logs.Entries.Select(e => e.Everything), Has.None.Contains(key));
            Assert.That(scenario.Logs.Entries.Select(e => e.Everything), Has.Some.Contains("api_key=***"), "URLs are logged, redacted");
            Assert.That(table, Does.Not.Contain(key));
            Assert.That(exceptions, Has.None.Contains(key));
            Assert.That(measurements, Has.None.Contains(key));
        }

        void Record(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var text = instrument.Name + string.Concat(tags.ToArray().Select(t => $"{t.Key}={t.Value}"));
            lock (measurements)
            {
                measurements.Add(text);
            }
        }
    }
}
