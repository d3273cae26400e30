using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tastebuds.Sandbox;
using Tastebuds.Tests.Support;
using Tastebuds.Worker.Lastfm;

namespace Tastebuds.Tests.Fetching;

public sealed class FetchTests
{
    [Test]
    public async Task A_fetch_of_50_sandbox_users_fills_every_table_with_exactly_the_sandbox_worlds_data()
    {
        await using var scenario = await FetchScenario.StartAsync(new SandboxOptions { Users = 50, Seed = 7 });
        var fetched = scenario.Sandbox.World.Users.Select(u => u.Name).ToList();

        var result = await scenario.FetchAsync();

        var limits = scenario.Host.Services.GetRequiredService<IOptions<FetchLimitsOptions>>().Value;
        var expected = new ExpectedFromWorld(scenario.Sandbox.World, limits, fetched);
        var db = scenario.Database;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Failed, Is.Zero);
            Assert.That(result.Succeeded, Is.EqualTo(expected.Users.Count));
            Assert.That(result.Skipped, Is.EqualTo(scenario.Sandbox.World.Users.Count(u => u.IsPrivate)));
            Assert.That(await DatabaseDump.UsersAsync(db), Is.EqualTo(expected.Profiles()));
            Assert.That(await DatabaseDump.TracksAsync(db), Is.EqualTo(expected.Tracks()));
            Assert.That(await DatabaseDump.AlbumsAsync(db), Is.EqualTo(expected.Albums()));
            Assert.That(await DatabaseDump.ArtistsAsync(db), Is.EqualTo(expected.Artists()));
            Assert.That(expected.Tracks().Count(l => l.Contains(" | True | ", StringComparison.Ordinal)), Is.GreaterThan(0), "the world has loves");
            Assert.That(expected.Tracks().Count(l => !l.EndsWith(" | ", StringComparison.Ordinal)), Is.GreaterThan(0), "the world has tags");
        }
    }

    [Test]
    public async Task A_fetch_with_20_percent_injected_faults_of_every_kind_ends_with_the_same_content_as_a_fault_free_fetch()
    {
        await using var clean = await FetchScenario.StartAsync(new SandboxOptions { Users = 30, Seed = 11 });
        await using var faulty = await FetchScenario.StartAsync(new SandboxOptions
        {
            Users = 30, Seed = 11, FaultRate = 0.2, ClientTimeout = TimeSpan.FromSeconds(1),
        });

        var cleanResult = await clean.FetchAsync();
        var faultyResult = await faulty.FetchAsync();

        var faults = faulty.Sandbox.RequestLog.Snapshot().Where(r => r.Fault is not null).Select(r => r.Fault!.Value).ToHashSet();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(faultyResult.Failed, Is.Zero, "every fault was retried through");
            Assert.That(faultyResult.Retries, Is.GreaterThan(0));
            Assert.That(faults, Has.Count.GreaterThanOrEqualTo(10), $"fault kinds seen: {string.Join(", ", faults)}");
            Assert.That(await DatabaseDump.EverythingAsync(faulty.Database), Is.EqualTo(await DatabaseDump.EverythingAsync(clean.Database)));
            Assert.That(cleanResult.Succeeded, Is.EqualTo(faultyResult.Succeeded));
        }
    }

    [Test]
    public async Task Private_and_unknown_users_are_skipped_and_logged_with_their_codes()
    {
        await using var scenario = await FetchScenario.StartAsync(new SandboxOptions { Users = 40, Seed = 3, PrivateUserFraction = 0.1 });
        var world = scenario.Sandbox.World;
        var names = world.PrivateUsernames.Take(2).Concat(world.MissingUsernames.Take(2)).Append(world.Users.First(u => !u.IsPrivate).Name).ToList();

        var result = await scenario.Runner.RunAsync(names, null, CancellationToken.None);

        await using var connection = await scenario.Database.DataSource.OpenConnectionAsync();
        var rows = (await connection.QueryAsync<(string Username, string Status, int? ErrorCode, string? ErrorMessage)>(
            "SELECT username, status, error_code, error_message FROM data_fetch_logs WHERE job_type = 'fetch_user'")).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Skipped, Is.EqualTo(4));
            Assert.That(result.Succeeded, Is.EqualTo(1));
            foreach (var name in world.PrivateUsernames.Take(2))
            {
                Assert.That(rows, Has.One.EqualTo((name, "skipped", (int?)17, (string?)"Login: User required to be logged in")));
            }

            foreach (var name in world.MissingUsernames.Take(2))
            {
                Assert.That(rows, Has.One.EqualTo((name, "skipped", (int?)6, (string?)"User not found")));
            }

            Assert.That(await scenario.Database.ScalarAsync<long>("SELECT count(*) FROM lastfm_users"), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task An_invalid_key_stops_the_run_after_a_few_requests_with_a_clear_message()
    {
        await using var scenario = await FetchScenario.StartAsync(
            new SandboxOptions { Users = 20, Seed = 5, InvalidApiKeys = ["revoked-key"] },
            settings: new Dictionary<string, string?> { ["Lastfm:ApiKey"] = "revoked-key" });

        var result = await scenario.FetchAsync();

        var run = await scenario.Database.ScalarAsync<string>(
            "SELECT status || ': ' || error_message FROM data_fetch_logs WHERE job_type = 'fetch_users'");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.KeyRejected, Is.True);
            Assert.That(scenario.Sandbox.RequestLog.Count, Is.LessThanOrEqualTo(3));
            Assert.That(await scenario.Database.ScalarAsync<long>("SELECT count(*) FROM data_fetch_logs WHERE job_type = 'fetch_user'"), Is.EqualTo(1));
            Assert.That(run, Is.EqualTo("failed: Last.fm rejected the API key"));
            Assert.That(scenario.Logs.Entries.Select(e => e.Message), Has.Some.Contains("rejected the API key (error 10"));
        }
    }

    [Test]
    public async Task Every_log_row_of_a_run_shares_its_run_id_and_none_is_left_running()
    {
        await using var scenario = await FetchScenario.StartAsync(new SandboxOptions { Users = 8, Seed = 9 });

        var result = await scenario.FetchAsync();

        await using var connection = await scenario.Database.DataSource.OpenConnectionAsync();
        var rows = (await connection.QueryAsync<(Guid RunId, string JobType, string Status, long? DurationMs, int Requests)>(
            "SELECT run_id, job_type, status, duration_ms, requests_made FROM data_fetch_logs")).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rows.Select(r => r.RunId).Distinct(), Is.EqualTo(new[] { result.RunId }));
            Assert.That(rows, Has.Count.EqualTo(9));
            Assert.That(rows.Select(r => r.Status), Has.None.EqualTo("running"));
            Assert.That(rows.Where(r => r.JobType == "fetch_user" && r.Status == "succeeded").Select(r => r.Requests), Has.All.GreaterThanOrEqualTo(6));
            Assert.That(rows.Single(r => r.JobType == "fetch_users").Requests, Is.EqualTo(scenario.Sandbox.RequestLog.Count));
        }
    }
}
