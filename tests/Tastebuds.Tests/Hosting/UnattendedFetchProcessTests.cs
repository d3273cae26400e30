using System.Diagnostics;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quartz;
using Tastebuds.Sandbox;
using Tastebuds.Tests.Support;
using Tastebuds.Worker.Cli;
using Tastebuds.Worker.Scheduling;

namespace Tastebuds.Tests.Hosting;

/// <summary>
/// What a daemon left alone does when its surroundings fail: the database goes away for a while, or the daemon is killed
/// and restarted as PID 1 of a container. No operator acts in between.
/// </summary>
public sealed class UnattendedFetchProcessTests
{
    private const int SigKill = 9;
    private const int SigTerm = 15;
    private const string Never = "0 0 3 1 1 ? 2099";
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(20);

    [Test]
    public async Task A_fetch_outlives_postgresql_stopped_for_twenty_seconds_and_fetches_every_user_exactly_once()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Users = 15, Seed = 51, PrivateUserFraction = 0, MissingUsernames = 0 });
        // The server is stopped mid-run: a cluster of this test's own, never the suite's shared one.
        await using var postgres = await PrivatePostgres.StartAsync();
        await using var db = await postgres.CreateDatabaseAsync();
        // One fire, at a second far enough ahead for the daemon to start (the schema is migrated already): a cron
        // repeating every few seconds would start a second run once the first ends. 3 s between users: 15 users
        // take about 45 s, so the run spans the outage. (Not a low request rate: the limiter's sliding window lets a
        // minute's budget through at once, then nothing for a minute; the pause spreads the run evenly.)
        var fire = TimeProvider.System.GetUtcNow().AddSeconds(20);
        var settings = Settings(db, sandbox, requestsPerMinute: 6000, Cron(fire), delayBetweenUsers: "00:00:03");
        using var worker = WorkerProcess.Start([], settings);

        await Eventually.WaitUntilAsync(async () => await db.ScalarAsync<long>(
            "SELECT count(*) FROM data_fetch_logs WHERE job_type = 'fetch_user' AND status = 'succeeded'") >= 2,
            TimeSpan.FromSeconds(120), () => $"two users fetched (the run was due at {fire:HH:mm:ss} UTC); stderr: {worker.StandardError}");
        var doneBefore = await db.ScalarAsync<long>("SELECT count(*) FROM data_fetch_logs WHERE job_type = 'fetch_user' AND status = 'succeeded'");
        var inFlight = await db.ScalarAsync<long>("SELECT count(*) FROM data_fetch_logs WHERE job_type = 'fetch_user' AND status = 'running'");
        var stopping = Stopwatch.StartNew();
        await postgres.StopAsync();
        var stopTook = stopping.Elapsed;
        var down = Stopwatch.StartNew();
        var downAt = TimeProvider.System.GetUtcNow();
        await Task.Delay(Outage);
        var upAt = TimeProvider.System.GetUtcNow();
        await postgres.StartAgainAsync();
        var outage = down.Elapsed;
        // Our own pooled connections died with the server.
        db.DataSource.Clear();

        await Eventually.WaitUntilAsync(async () => await db.ScalarAsync<long>(
            "SELECT count(*) FROM data_fetch_logs WHERE job_type = 'fetch_users' AND status <> 'running'") == 1,
            TimeSpan.FromSeconds(180), () => $"the run finished; stderr: {worker.StandardError}");
        // The run chains similarities and recommendations: let them end too before looking for rows left running.
        await Eventually.WaitUntilAsync(async () => await db.ScalarAsync<long>(
            "SELECT count(*) FROM data_fetch_logs WHERE status = 'running'") == 0, TimeSpan.FromSeconds(120), "every step finished");
        worker.Signal(SigTerm);
        var exit = await worker.WaitForExitAsync(TimeSpan.FromSeconds(60));

        await using var connection = await db.DataSource.OpenConnectionAsync();
        var run = await connection.QuerySingleAsync<(Guid RunId, string Status, long DurationMs, int Requests, string? Error)>(
            "SELECT run_id, status, duration_ms, requests_made, error_message FROM data_fetch_logs WHERE job_type = 'fetch_users'");
        var rows = (await connection.QueryAsync<(string Username, string Status, Guid RunId)>(
            "SELECT username, status, run_id FROM data_fetch_logs WHERE job_type = 'fetch_user'")).ToList();
        var users = sandbox.World.Users.Select(u => u.Name).ToList();
        var requests = sandbox.RequestLog.Snapshot();
        var profileRequests = requests.Where(r => string.Equals(r.Method, "user.getInfo", StringComparison.OrdinalIgnoreCase))
            .GroupBy(r => r.User ?? "").ToDictionary(g => g.Key, g => g.Count(), StringComparer.OrdinalIgnoreCase);
        // Only the user in flight when the server went away may go on asking Last.fm; no new user starts meanwhile.
        var usersAskedDuringOutage = requests.Where(r => r.Timestamp > downAt && r.Timestamp < upAt).Select(r => r.User).Distinct().ToList();
        var waits = worker.StandardError.Split('\n').Count(l => l.Contains("Database unavailable", StringComparison.Ordinal));

        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"PostgreSQL down {outage.TotalSeconds:0.0} s (pg_ctl stop took {stopTook.TotalSeconds:0.0} s) after {doneBefore} of {users.Count} users ({inFlight} in flight); "
            + $"run {run.Status} in {run.DurationMs / 1000.0:0.0} s; {requests.Count} Last.fm requests ({run.Requests} counted by the run), "
            + $"{usersAskedDuringOutage.Count} user(s) asked during the outage; {waits} 'Database unavailable' warnings."));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.Zero, worker.StandardError);
            Assert.That(outage, Is.GreaterThanOrEqualTo(Outage));
            Assert.That(run.Status, Is.EqualTo("succeeded"), run.Error);
            Assert.That(rows.Select(r => r.Username), Is.EquivalentTo(users), "one fetch_user row per user: none missing, none twice");
            Assert.That(rows.Select(r => r.Status), Is.All.EqualTo("succeeded"));
            Assert.That(rows.Select(r => r.RunId), Is.All.EqualTo(run.RunId));
            Assert.That(users.Select(u => profileRequests.GetValueOrDefault(u)), Is.All.EqualTo(1), "each user's profile asked for once");
            Assert.That(usersAskedDuringOutage, Has.Count.LessThanOrEqualTo(1), "no new user started while the database was away");
            Assert.That(await db.ScalarAsync<long>("SELECT count(*) FROM data_fetch_logs WHERE status IN ('running', 'abandoned')"), Is.Zero);
        }
    }

    [Test]
    public async Task A_daemon_killed_and_restarted_as_pid_1_again_marks_its_previous_incarnations_rows_abandoned()
    {
        PidNamespace.Require(await PidNamespace.UnavailableReasonAsync());
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Users = 5, Seed = 52, PrivateUserFraction = 0, MissingUsernames = 0 });
        await using var db = await TestPostgres.CreateDatabaseAsync();
        // Six requests a minute: a user needs at least six, so a run is still in flight for minutes.
        var settings = Settings(db, sandbox, requestsPerMinute: 6, fetchCron: "0/1 * * * * ?", delayBetweenUsers: "00:00:00");
        var pid1 = $"{Environment.MachineName}/1";
        using (var first = WorkerProcess.Start([], settings, PidNamespace.Wrapper))
        {
            await Eventually.WaitUntilAsync(async () => await db.ScalarAsync<long>(
                $"SELECT count(DISTINCT job_type) FROM data_fetch_logs WHERE status = 'running' AND host = '{pid1}'") == 2,
                TimeSpan.FromSeconds(120), () => $"a run and a user in flight as PID 1; stderr: {first.StandardError}");
            // unshare --kill-child: the worker inside dies with it.
            first.Signal(SigKill);
            await first.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        var old = (await RowsAsync(db)).Where(r => r.Status == "running").ToList();
        // Before any restart: the status verb (another process, outside the namespace) must not show the dead run as running.
        var status = await WorkerProcess.RunAsync(["status"], settings);
        var lastRuns = status.Stdout.Split('\n').Where(l => l.TrimStart('│', ' ').StartsWith("fetch_user", StringComparison.Ordinal)).ToList();

        // The same again, as a restarted container: PID 1 on the same machine.
        using var second = WorkerProcess.Start([], settings, PidNamespace.Wrapper);
        await Eventually.WaitUntilAsync(async () => await db.ScalarAsync<long>(
            $"SELECT count(*) FROM data_fetch_logs WHERE id = ANY(ARRAY[{string.Join(',', old.Select(r => r.Id))}]) AND status = 'running'") == 0
            && await db.ScalarAsync<long>($"SELECT count(*) FROM data_fetch_logs WHERE host = '{pid1}' AND instance_id <> '{old[0].Instance}'") > 0,
            TimeSpan.FromSeconds(120), () => $"the old rows cleared and a new run started; stderr: {second.StandardError}");
        second.Signal(SigKill);
        await second.WaitForExitAsync(TimeSpan.FromSeconds(30));

        var after = await RowsAsync(db);
        var renewed = after.Where(r => old.All(o => o.Id != r.Id)).ToList();
        TestContext.Out.WriteLine($"{old.Count} row(s) of {old[0].Instance} left running; the restart wrote {renewed.Count} as {renewed.FirstOrDefault().Instance}.");
        TestContext.Out.WriteLine(status.Stdout);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(old.Select(r => r.Host).ToList(), Has.Count.GreaterThanOrEqualTo(2).And.All.EqualTo(pid1), "the dead run and its user in flight, written as PID 1");
            Assert.That(old.Select(r => r.Instance).Distinct().Count(), Is.EqualTo(1));
            Assert.That(status.ExitCode, Is.Zero, status.Stderr);
            Assert.That(lastRuns, Has.Count.EqualTo(2).And.All.Contains("abandoned").And.None.Contains("running"), status.Stdout);
            Assert.That(after.Where(r => old.Any(o => o.Id == r.Id)).Select(r => (r.Status, r.Finished)), Is.All.EqualTo(("abandoned", true)));
            Assert.That(renewed.Select(r => r.Host), Is.Not.Empty.And.All.EqualTo(pid1), "the same machine and pid");
            Assert.That(renewed.Select(r => r.Instance), Is.All.Not.EqualTo(old[0].Instance), "another instance");
        }
    }

    [Test]
    public async Task A_fetch_that_finds_the_database_away_past_the_tolerance_schedules_a_retry_five_minutes_ahead()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Users = 3, Seed = 53, PrivateUserFraction = 0, MissingUsernames = 0 });
        await using var postgres = await PrivatePostgres.StartAsync();
        await using var db = await postgres.CreateDatabaseAsync();
        var settings = Settings(db, sandbox, requestsPerMinute: 6000, Never, delayBetweenUsers: "00:00:00")
            .ToDictionary(s => s.Key.Replace("__", ":", StringComparison.Ordinal), s => s.Value);
        settings["Database:OutageTolerance"] = "00:00:01";
        using var host = db.BuildHost(settings);
        await WorkerHost.PrepareAsync(host, CancellationToken.None);
        await host.StartAsync();
        // A named scheduler: its factory is a keyed service.
        var scheduler = await host.Services.GetRequiredKeyedService<ISchedulerFactory>(SchedulingRegistration.SchedulerName).GetScheduler();

        await postgres.StopAsync();
        var fired = TimeProvider.System.GetUtcNow();
        await scheduler.TriggerJob(FetchUsersJob.Key);
        ITrigger? retry = null;
        await Eventually.WaitUntilAsync(async () => (retry = (await scheduler.GetTriggersOfJob(FetchUsersJob.Key))
            .FirstOrDefault(t => t.Key.Group == FetchUsersJob.RetryGroup)) is not null, TimeSpan.FromSeconds(60), "a retry trigger");
        // Up again, so that the host stops cleanly and the database can be dropped.
        await postgres.StartAgainAsync();
        await host.StopAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(retry!.StartTimeUtc - fired, Is.InRange(FetchUsersJob.RetryDelays[0], FetchUsersJob.RetryDelays[0] + TimeSpan.FromSeconds(60)));
            Assert.That(retry.JobDataMap.GetString(FetchUsersJob.AttemptKey), Is.EqualTo("1"));
            Assert.That(retry.JobDataMap.GetString(FetchUsersJob.UsersKey), Is.Empty, "the whole cycle is still to do");
            Assert.That(sandbox.RequestLog.Count, Is.Zero, "no Last.fm request spent while the database was away");
        }
    }

    /// <summary>A cron expression that fires once a day, at <paramref name="at"/>'s second (UTC): in a test, once.</summary>
    private static string Cron(DateTimeOffset at) => string.Create(CultureInfo.InvariantCulture, $"{at.Second} {at.Minute} {at.Hour} * * ?");

    private static async Task<List<(long Id, string Status, string Host, string Instance, bool Finished)>> RowsAsync(TestDatabase db)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<(long, string, string, string, bool)>(
            "SELECT id, status, host, instance_id, finished_at IS NOT NULL FROM data_fetch_logs ORDER BY id")).ToList();
    }

    private static Dictionary<string, string?> Settings(TestDatabase db, SandboxServer sandbox, int requestsPerMinute, string fetchCron, string delayBetweenUsers)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = db.ConnectionString,
            ["Lastfm__BaseUrl"] = sandbox.BaseUrl.ToString(),
            ["Lastfm__ApiKey"] = "unattended-test-key",
            ["RateLimiting__MaxRequestsPerMinute"] = requestsPerMinute.ToString(CultureInfo.InvariantCulture),
            ["RateLimiting__DelayBetweenUsers"] = delayBetweenUsers,
            ["Schedules__FetchUsers"] = fetchCron,
            ["Shutdown__GracePeriod"] = "00:00:05",
        };
        var users = sandbox.World.Users;
        for (var i = 0; i < users.Count; i++)
        {
            settings[$"Lastfm__Users__{i}"] = users[i].Name;
        }

        return settings;
    }
}
