using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Tastebuds.Sandbox;
using Tastebuds.Tests.Fetching;
using Tastebuds.Tests.Support;
using Tastebuds.Worker.Fetching;

namespace Tastebuds.Tests.Scheduling;

/// <summary>One fetch run per API key across processes: the verb fails, the scheduled job waits.</summary>
public sealed class FetchLockTests
{
    [Test]
    public async Task A_fetch_fails_at_once_while_another_run_with_the_same_api_key_holds_the_lock_and_runs_once_it_is_released()
    {
        await using var scenario = await FetchScenario.StartAsync(new SandboxOptions { Users = 2, Seed = 43, PrivateUserFraction = 0, MissingUsernames = 0 });
        var fetchLock = scenario.Host.Services.GetRequiredService<FetchLock>();

        var held = await fetchLock.AcquireAsync(wait: false, CancellationToken.None);
        var busy = Assert.ThrowsAsync<FetchRunInProgressException>(() => scenario.FetchAsync());
        var waiting = scenario.Runner.RunAsync(null, null, waitForOtherRun: true, CancellationToken.None);
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        var waitedWhileHeld = !waiting.IsCompleted;
        await held.DisposeAsync();
        var result = await waiting;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(busy!.Message, Does.Contain("same Last.fm API key"));
            Assert.That(waitedWhileHeld, Is.True, "the scheduled job's run waits for the lock");
            Assert.That(result.Succeeded, Is.EqualTo(2));
            Assert.That(await scenario.Database.ScalarAsync<long>("SELECT count(*) FROM data_fetch_logs WHERE job_type = 'fetch_users'"), Is.EqualTo(1),
                "the failed attempt started no run");
        }
    }

    [Test]
    public void The_lock_key_is_a_hash_of_the_api_key_and_differs_between_keys()
    {
        using (Assert.EnterMultipleScope())
        {
            var first = FetchLock.KeyFor("key-a");
            Assert.That(FetchLock.KeyFor(string.Concat("key-", "a")), Is.EqualTo(first));
            Assert.That(FetchLock.KeyFor("key-a"), Is.Not.EqualTo(FetchLock.KeyFor("key-b")));
        }
    }

    [Test]
    public async Task A_run_whose_lock_went_with_a_database_outage_stops_before_a_request_when_another_run_took_it()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        await using var gate = TcpGate.Start("127.0.0.1", new NpgsqlConnectionStringBuilder(db.ConnectionString).Port);
        await using var scenario = await FetchScenario.StartAsync(
            new SandboxOptions { Users = 6, Seed = 44, PrivateUserFraction = 0, MissingUsernames = 0 },
            settings: new Dictionary<string, string?>
            {
                ["ConnectionStrings:Postgres"] = gate.ConnectionStringFor(db.ConnectionString),
                ["Database:OutageTolerance"] = "00:01:00",
            }, database: db);
        // The other run: a session of its own, straight to the server, that takes the key's lock once the outage freed it.
        await using var other = await db.DataSource.OpenConnectionAsync();
        var taken = DateTimeOffset.MaxValue;
        var progress = new InlineProgress(p =>
        {
            if (p.Done == 2)
            {
                gate.Close();
                _ = Task.Run(async () =>
                {
                    await Eventually.WaitUntilAsync(async () =>
                    {
                        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", other) { Parameters = { new() { Value = FetchLock.KeyFor(FetchScenario.ApiKey) } } };
                        return (bool)(await command.ExecuteScalarAsync())!;
                    }, TimeSpan.FromSeconds(30), "the cut session's lock released");
                    taken = TimeProvider.System.GetUtcNow();
                    gate.Open();
                });
            }
        });

        var result = await scenario.Runner.RunAsync(null, progress, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Succeeded, Is.EqualTo(2));
            Assert.That(await db.ScalarAsync<string>("SELECT status FROM data_fetch_logs WHERE job_type = 'fetch_users'"), Is.EqualTo("failed"));
            Assert.That(await db.ScalarAsync<string>("SELECT error_message FROM data_fetch_logs WHERE job_type = 'fetch_users'"), Does.Contain("took the fetch lock"));
            Assert.That(scenario.Sandbox.RequestLog.Snapshot().Where(r => r.Timestamp > taken), Is.Empty, "no request once the other run holds the key");
            Assert.That(await db.ScalarAsync<long>("SELECT count(*) FROM data_fetch_logs WHERE status = 'running'"), Is.Zero);
        }
    }
}
