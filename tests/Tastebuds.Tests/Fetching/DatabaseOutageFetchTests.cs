using Npgsql;
using Tastebuds.Sandbox;
using Tastebuds.Tests.Support;
using Tastebuds.Worker.Cli;
using Tastebuds.Worker.Fetching;

namespace Tastebuds.Tests.Fetching;

/// <summary>
/// A fetch whose database goes away mid-run: the worker's connections go through a <see cref="TcpGate"/> that the test
/// closes (connections cut, new ones refused) after the third user, as when PostgreSQL is stopped.
/// </summary>
public sealed class DatabaseOutageFetchTests
{
    private static readonly SandboxOptions World = new() { Users = 8, Seed = 71, PrivateUserFraction = 0, MissingUsernames = 0 };

    [Test]
    public async Task An_outage_shorter_than_the_tolerance_is_waited_out_without_a_request_and_every_user_is_fetched_once()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        await using var gate = Gate(db);
        await using var scenario = await StartAsync(db, gate, tolerance: "00:01:00");
        var (closed, opened) = (DateTimeOffset.MinValue, DateTimeOffset.MinValue);
        var progress = new InlineProgress(p =>
        {
            if (p.Done == 3)
            {
                closed = TimeProvider.System.GetUtcNow();
                gate.Close();
                _ = Task.Run(async () =>
                {
                    await Task.Delay(TimeSpan.FromSeconds(4));
                    opened = TimeProvider.System.GetUtcNow();
                    gate.Open();
                });
            }
        });

        var result = await scenario.Runner.RunAsync(null, progress, CancellationToken.None);

        var requests = scenario.Sandbox.RequestLog.Snapshot();
        var run = result.RunId;
        using (Assert.EnterMultipleScope())
        {
            Assert.That((result.Succeeded, result.Failed, result.DatabaseError), Is.EqualTo((8, 0, (string?)null)));
            Assert.That(opened - closed, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(4)), "the outage happened");
            Assert.That(requests.Where(r => r.Timestamp > closed && r.Timestamp < opened), Is.Empty, "no Last.fm request while the database was away");
            Assert.That(requests.Where(r => string.Equals(r.Method, "user.getInfo", StringComparison.OrdinalIgnoreCase))
                .GroupBy(r => r.User).Select(g => g.Count()), Is.All.EqualTo(1), "every user fetched exactly once");
            Assert.That(await db.ScalarAsync<string>($"SELECT status FROM data_fetch_logs WHERE run_id = '{run}' AND job_type = 'fetch_users'"), Is.EqualTo("succeeded"));
            Assert.That(await db.ScalarAsync<long>($"SELECT count(DISTINCT username) FROM data_fetch_logs WHERE run_id = '{run}' AND job_type = 'fetch_user' AND status = 'succeeded'"), Is.EqualTo(8));
            Assert.That(await db.ScalarAsync<long>("SELECT count(*) FROM data_fetch_logs WHERE status = 'running'"), Is.Zero);
        }

        TestContext.Out.WriteLine($"outage {(opened - closed).TotalSeconds:0.0} s; {requests.Count} requests");
    }

    [Test]
    public async Task Past_the_tolerance_the_run_stops_with_one_clear_line_names_the_users_not_fetched_and_exits_3()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        await using var gate = Gate(db);
        await using var scenario = await StartAsync(db, gate, tolerance: "00:00:02");
        var closed = DateTimeOffset.MaxValue;
        var progress = new InlineProgress(p =>
        {
            if (p.Done == 3)
            {
                closed = TimeProvider.System.GetUtcNow();
                gate.Close();
            }
        });
        // The run's order: none was fetched yet, so by name (FetchUserDirectory).
        var users = scenario.Sandbox.World.Users.Select(u => u.Name).OrderBy(n => n.ToLowerInvariant(), StringComparer.Ordinal).ToList();

        var result = await scenario.Runner.RunAsync(null, progress, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Succeeded, Is.EqualTo(3));
            Assert.That(result.DatabaseError, Does.Contain("Database:OutageTolerance (00:00:02)"));
            Assert.That(result.Unfinished, Is.EqualTo(users.Skip(3)), "the user in flight and every later one, in order");
            Assert.That(FetchProgressDisplay.ExitCode(result), Is.EqualTo(ExitCodes.DatabaseUnavailable));
            Assert.That(scenario.Sandbox.RequestLog.Snapshot().Where(r => r.Timestamp > closed), Is.Empty, "nothing spent once the database was gone");
        }
    }

    private static TcpGate Gate(TestDatabase db)
    {
        var target = new NpgsqlConnectionStringBuilder(db.ConnectionString);
        return TcpGate.Start(target.Host!, target.Port);
    }

    private static Task<FetchScenario> StartAsync(TestDatabase db, TcpGate gate, string tolerance) =>
        FetchScenario.StartAsync(World, settings: new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = gate.ConnectionStringFor(db.ConnectionString),
            ["Database:OutageTolerance"] = tolerance,
        }, database: db);
}
