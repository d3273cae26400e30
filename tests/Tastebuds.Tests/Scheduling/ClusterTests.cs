using System.Diagnostics;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tastebuds.Sandbox;
using Tastebuds.Tests.Support;
using Tastebuds.Worker.Scheduling;

namespace Tastebuds.Tests.Scheduling;

/// <summary>Replicas as operators run them: separate daemon processes sharing one database through Quartz's clustered store.</summary>
public sealed class ClusterTests
{
    private const int SigTerm = 15;
    private const int SigKill = 9;
    private const string Never = "0 0 3 1 1 ? 2099";

    [Test]
    public async Task Two_clustered_replicas_run_each_fetch_fire_once_and_never_overlap()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Users = 5, Seed = 41, PrivateUserFraction = 0, MissingUsernames = 0 });
        await using var db = await TestPostgres.CreateDatabaseAsync();
        // Every 2 s; a run takes about a second (5 users, 0.2 s apart), so a fire run twice would overlap itself.
        var environment = Environment(db, sandbox, requestsPerMinute: 6000, fetchCron: "0/2 * * * * ?", delayBetweenUsers: "00:00:00.200");
        // Nobody dies here: a replica whose check-in is a second late on a busy machine must not be taken for dead, or
        // Quartz recovers its fire in flight and the recovered copy runs that fire again (at-least-once, by design; seen
        // once in CI as 8 runs for 7 fires on one replica). The kill test below keeps the one-second threshold.
        environment["Scheduler__CheckinMisfireThreshold"] = "00:00:10";
        using var first = WorkerProcess.Start([], environment);
        using var second = WorkerProcess.Start([], environment);
        var hosts = new[] { Host(first), Host(second) };

        await Eventually.WaitUntilAsync(async () => await db.ScalarAsync<long>(
            "SELECT count(*) FROM qrtz_scheduler_state WHERE split_part(instance_name, '/', 1) || '/' || split_part(instance_name, '/', 2) = ANY(ARRAY['" + string.Join("','", hosts) + "'])") == 2,
            TimeSpan.FromSeconds(60), "both replicas checked in");
        using (var probe = await AbandonedRunsTests.PreparedHostAsync(db, clustered: true))
        {
            // Quartz's own check-in rows, read with the worker's liveness rule: both replicas are live members.
            var live = await probe.Services.GetRequiredService<AbandonedRuns>().LiveMembersAsync(CancellationToken.None);
            // A node's instance id is its host (machine/pid) and a random suffix, new at every start.
            Assert.That(live.Select(i => i[..i.LastIndexOf('/')]), Is.SupersetOf(hosts));
        }

        var watching = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(12));
        var window = watching.Elapsed;
        first.Signal(SigTerm);
        second.Signal(SigTerm);
        var exits = new[] { await first.WaitForExitAsync(TimeSpan.FromSeconds(30)), await second.WaitForExitAsync(TimeSpan.FromSeconds(30)) };

        await using var connection = await db.DataSource.OpenConnectionAsync();
        var runs = (await connection.QueryAsync<(DateTime Started, DateTime Finished, string Host, string? Fire)>(
            "SELECT started_at, finished_at, host, details ->> 'scheduled_fire_time' FROM data_fetch_logs WHERE job_type = 'fetch_users' ORDER BY started_at")).ToList();
        var overlaps = runs.Zip(runs.Skip(1)).Count(p => p.Second.Started < p.First.Finished);
        TestContext.Out.WriteLine($"{runs.Count} fetch runs in {window.TotalSeconds:0.0} s: " +
                                  string.Join(", ", runs.GroupBy(r => r.Host).Select(g => $"{g.Key} ran {g.Count()}")));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exits, Is.All.Zero, first.StandardError + second.StandardError);
            Assert.That(runs, Has.Count.GreaterThanOrEqualTo(3), "the schedule ran");
            Assert.That(overlaps, Is.Zero, "no two fetch runs at once: one run per fire, DisallowConcurrentExecution across the cluster");
            // Each run records the time its trigger was due: a fire run twice (on one replica or two) would repeat one.
            // (Start times cannot tell: a fire delayed by the run before it may start in the next fire's 2-second slot.)
            Assert.That(runs.Select(r => r.Fire), Has.None.Null, "every run came from the cron trigger");
            Assert.That(runs.Select(r => r.Fire).Distinct().Count(), Is.EqualTo(runs.Count), "at most one run per fire");
            Assert.That(runs.Select(r => r.Host), Is.All.AnyOf(hosts));
            // Their own crons never fire: these ran only through the chain's TriggerJob (StageJobs) on the clustered store.
            Assert.That(await db.ScalarAsync<long>("SELECT count(*) FROM data_fetch_logs WHERE job_type = 'recalculate_similarities'"), Is.Positive, "chained similarities");
            Assert.That(await db.ScalarAsync<long>("SELECT count(*) FROM data_fetch_logs WHERE job_type = 'generate_recommendations'"), Is.Positive, "chained recommendations");
            Assert.That(await db.ScalarAsync<long>("SELECT count(*) FROM data_fetch_logs WHERE status IN ('running', 'abandoned')"), Is.Zero);
        }
    }

    [Test]
    public async Task A_fetch_of_a_killed_replica_is_recovered_by_the_other_and_its_log_rows_end_abandoned()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Users = 5, Seed = 42, PrivateUserFraction = 0, MissingUsernames = 0 });
        await using var db = await TestPostgres.CreateDatabaseAsync();
        // Six requests a minute: a run lasts minutes, so it is still in flight when its replica is killed.
        var environment = Environment(db, sandbox, requestsPerMinute: 6, fetchCron: "0/1 * * * * ?", delayBetweenUsers: "00:00:00");
        using var first = WorkerProcess.Start([], environment);
        var firstHost = Host(first);
        await Eventually.WaitUntilAsync(async () => await db.ScalarAsync<long>(
            $"SELECT count(*) FROM data_fetch_logs WHERE status = 'running' AND host = '{firstHost}'") >= 2, TimeSpan.FromSeconds(60), "a run and a user in flight on the first replica");

        // The second replica re-declares the trigger with a schedule that never fires: from now on the job can
        // only run again through Quartz's recovery of the first replica's firing.
        environment["Schedules__FetchUsers"] = Never;
        using var second = WorkerProcess.Start([], environment);
        var secondHost = Host(second);
        await Eventually.WaitUntilAsync(async () => await db.ScalarAsync<long>(
            $"SELECT count(*) FROM qrtz_scheduler_state WHERE instance_name LIKE '{secondHost}/%'") == 1, TimeSpan.FromSeconds(60), "the second replica checked in");

        first.Signal(SigKill);
        await first.WaitForExitAsync(TimeSpan.FromSeconds(10));
        var killed = Stopwatch.StartNew();
        var left = await db.ScalarAsync<long>($"SELECT count(*) FROM data_fetch_logs WHERE status = 'running' AND host = '{firstHost}'");
        await Eventually.WaitUntilAsync(async () => await db.ScalarAsync<long>(
            $"SELECT count(*) FROM data_fetch_logs WHERE job_type = 'fetch_users' AND host = '{secondHost}'") == 1, TimeSpan.FromSeconds(30), "the recovered run on the second replica");
        var recoveredAfter = killed.Elapsed;
        await Eventually.WaitUntilAsync(async () => await db.ScalarAsync<long>(
            $"SELECT count(*) FROM data_fetch_logs WHERE status = 'running' AND host = '{firstHost}'") == 0, TimeSpan.FromSeconds(30), "the killed replica's rows cleared");
        second.Signal(SigTerm);

        TestContext.Out.WriteLine($"recovered {recoveredAfter.TotalSeconds:0.0} s after the kill");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await second.WaitForExitAsync(TimeSpan.FromSeconds(30)), Is.Zero, second.StandardError);
            Assert.That(recoveredAfter, Is.LessThan(TimeSpan.FromSeconds(15)), "check-in interval 1 s + threshold 1 s, plus slack");
            Assert.That(left, Is.GreaterThanOrEqualTo(2), "the run and the user in flight when killed");
            Assert.That(await db.ScalarAsync<long>(
                $"SELECT count(*) FROM data_fetch_logs WHERE host = '{firstHost}' AND status = 'abandoned' AND finished_at IS NOT NULL"), Is.EqualTo(left),
                "every row the killed replica left running is abandoned");
            Assert.That(await db.ScalarAsync<long>("SELECT count(*) FROM data_fetch_logs WHERE status = 'running'"), Is.Zero);
        }
    }

    private static string Host(WorkerProcess worker) => $"{System.Environment.MachineName}/{worker.Id.ToString(CultureInfo.InvariantCulture)}";

    private static Dictionary<string, string?> Environment(TestDatabase db, SandboxServer sandbox, int requestsPerMinute, string fetchCron, string delayBetweenUsers)
    {
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = db.ConnectionString,
            ["Lastfm__BaseUrl"] = sandbox.BaseUrl.ToString(),
            ["Lastfm__ApiKey"] = "cluster-test-key",
            ["RateLimiting__MaxRequestsPerMinute"] = requestsPerMinute.ToString(CultureInfo.InvariantCulture),
            ["RateLimiting__DelayBetweenUsers"] = delayBetweenUsers,
            ["Schedules__FetchUsers"] = fetchCron,
            ["Schedules__RecalculateSimilarities"] = Never,
            ["Schedules__GenerateRecommendations"] = Never,
            ["Shutdown__GracePeriod"] = "00:00:02",
            ["Scheduler__Clustered"] = "true",
            ["Scheduler__CheckinInterval"] = "00:00:01",
            ["Scheduler__CheckinMisfireThreshold"] = "00:00:01",
        };
        var users = sandbox.World.Users;
        for (var i = 0; i < users.Count; i++)
        {
            environment[$"Lastfm__Users__{i}"] = users[i].Name;
        }

        return environment;
    }
}
