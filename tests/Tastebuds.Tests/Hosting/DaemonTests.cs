using Dapper;
using Tastebuds.Sandbox;
using Tastebuds.Tests.Fetching;
using Tastebuds.Tests.Support;
using Tastebuds.Worker.Lastfm;

namespace Tastebuds.Tests.Hosting;

/// <summary>The worker as operators run it: a separate daemon process, its schedule, its signals.</summary>
public sealed class DaemonTests
{
    private const int SigTerm = 15;
    private const int SigKill = 9;

    [Test]
    public async Task Sigterm_during_a_fetch_exits_0_within_the_grace_period_with_consistent_data_and_no_running_log_row()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Users = 10, Seed = 31, PrivateUserFraction = 0, MissingUsernames = 0 });
        await using var db = await TestPostgres.CreateDatabaseAsync();
        // Three requests in any minute: a user needs at least six, so once the sandbox has served three the first user
        // is in flight and waits ~57 s for its next permit, far longer than the grace period: the signal lands while it
        // waits and it must roll back. (Waiting for "a user in flight" and then a fixed second raced under load: the
        // user could finish in that second and the run stop between users, with nothing to cancel.)
        using var worker = WorkerProcess.Start([], Environment(db, sandbox, requestsPerMinute: 3, fetchCron: "0/1 * * * * ?", grace: "00:00:02"));

        await Eventually.WaitUntilAsync(async () => sandbox.RequestLog.Count >= 3 && await db.ScalarAsync<long>(
            "SELECT count(*) FROM data_fetch_logs WHERE job_type = 'fetch_user' AND status = 'running'") == 1, TimeSpan.FromSeconds(60), "a user in flight, waiting for a permit");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        worker.Signal(SigTerm);
        var exit = await worker.WaitForExitAsync(TimeSpan.FromSeconds(30));
        var took = clock.Elapsed;

        await using var connection = await db.DataSource.OpenConnectionAsync();
        var done = (await connection.QueryAsync<string>(
            "SELECT username FROM data_fetch_logs WHERE job_type = 'fetch_user' AND status = 'succeeded'")).ToList();
        var expected = new ExpectedFromWorld(sandbox.World, new FetchLimitsOptions(), done);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.Zero, worker.StandardError);
            Assert.That(took, Is.LessThan(TimeSpan.FromSeconds(2 + 10)), "grace period plus start-up slack");
            Assert.That(await db.ScalarAsync<long>("SELECT count(*) FROM data_fetch_logs WHERE status = 'running'"), Is.Zero);
            Assert.That(await db.ScalarAsync<long>("SELECT count(*) FROM data_fetch_logs WHERE job_type = 'fetch_user' AND status = 'cancelled'"), Is.EqualTo(1));
            Assert.That(await DatabaseDump.TracksAsync(db), Is.EqualTo(expected.Tracks()), "only whole users: the cancelled one rolled back");
            Assert.That(await DatabaseDump.ArtistsAsync(db), Is.EqualTo(expected.Artists()));
        }
    }

    [Test]
    public async Task Log_rows_left_running_by_a_killed_process_are_marked_abandoned_at_the_next_start()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Users = 5, Seed = 32, PrivateUserFraction = 0, MissingUsernames = 0 });
        await using var db = await TestPostgres.CreateDatabaseAsync();
        var environment = Environment(db, sandbox, requestsPerMinute: 60, fetchCron: "0/1 * * * * ?", grace: "00:00:02");
        using (var first = WorkerProcess.Start([], environment))
        {
            await Eventually.WaitUntilAsync(async () => await db.ScalarAsync<long>(
                "SELECT count(*) FROM data_fetch_logs WHERE status = 'running'") >= 2, TimeSpan.FromSeconds(60), "a run and a user in flight");
            first.Signal(SigKill);
            await first.WaitForExitAsync(TimeSpan.FromSeconds(10));
        }

        var left = await db.ScalarAsync<long>("SELECT count(*) FROM data_fetch_logs WHERE status = 'running'");
        environment["Schedules__FetchUsers"] = "0 0 3 1 1 ? 2099";
        using var second = WorkerProcess.Start([], environment);
        await Eventually.WaitUntilAsync(async () => await db.ScalarAsync<long>(
            "SELECT count(*) FROM data_fetch_logs WHERE status = 'running'") == 0, TimeSpan.FromSeconds(60), "running rows cleared");
        second.Signal(SigTerm);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(left, Is.GreaterThanOrEqualTo(2));
            Assert.That(await db.ScalarAsync<long>("SELECT count(*) FROM data_fetch_logs WHERE status = 'abandoned' AND finished_at IS NOT NULL"), Is.EqualTo(left));
            Assert.That(await second.WaitForExitAsync(TimeSpan.FromSeconds(30)), Is.Zero, second.StandardError);
        }
    }

    private static Dictionary<string, string?> Environment(TestDatabase db, SandboxServer sandbox, int requestsPerMinute, string fetchCron, string grace)
    {
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = db.ConnectionString,
            ["Lastfm__BaseUrl"] = sandbox.BaseUrl.ToString(),
            ["Lastfm__ApiKey"] = "daemon-test-key",
            ["RateLimiting__MaxRequestsPerMinute"] = requestsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RateLimiting__DelayBetweenUsers"] = "00:00:00",
            ["Schedules__FetchUsers"] = fetchCron,
            ["Shutdown__GracePeriod"] = grace,
        };
        var users = sandbox.World.Users;
        for (var i = 0; i < users.Count; i++)
        {
            environment[$"Lastfm__Users__{i}"] = users[i].Name;
        }

        return environment;
    }
}
