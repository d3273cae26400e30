using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Quartz;
using Tastebuds.Sandbox;
using Tastebuds.Tests.Fetching;
using Tastebuds.Tests.Support;
using Tastebuds.Worker.Scheduling;

namespace Tastebuds.Tests.Scheduling;

/// <summary>
/// The daemon's answer to a fetch the database cut short: a retry soon (5, 15, then 60 minutes), for the users the
/// cycle has not fetched yet, instead of next week's fire. A daemon host runs in process, its database behind a TcpGate.
/// </summary>
public sealed class FetchRetryTests
{
    [Test]
    public async Task A_scheduled_fetch_that_finds_the_database_gone_schedules_a_retry_of_the_whole_cycle_in_5_minutes()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        await using var gate = TcpGate.Start("127.0.0.1", new NpgsqlConnectionStringBuilder(db.ConnectionString).Port);
        await using var scenario = await StartAsync(db, gate);
        await scenario.Host.StartAsync();
        var scheduler = await SchedulerAsync(scenario.Host);

        gate.Close();
        var fired = TimeProvider.System.GetUtcNow();
        await scheduler.TriggerJob(FetchUsersJob.Key);
        var retry = await RetryTriggerAsync(scheduler);
        gate.Open();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(retry.StartTimeUtc - fired, Is.InRange(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5.5)));
            Assert.That(retry.JobDataMap[FetchUsersJob.UsersKey], Is.EqualTo(string.Empty), "no user was fetched: the whole cycle");
            Assert.That(retry.JobDataMap[FetchUsersJob.AttemptKey], Is.EqualTo("1"));
            Assert.That(scenario.Sandbox.RequestLog.Count, Is.Zero);
        }

        await scenario.Host.StopAsync();
    }

    [Test]
    public async Task A_retry_fetches_only_the_users_it_carries_and_a_second_cut_waits_15_minutes()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        await using var gate = TcpGate.Start("127.0.0.1", new NpgsqlConnectionStringBuilder(db.ConnectionString).Port);
        await using var scenario = await StartAsync(db, gate);
        await scenario.Host.StartAsync();
        var scheduler = await SchedulerAsync(scenario.Host);
        var users = scenario.Sandbox.World.Users.Select(u => u.Name).ToList();

        await scheduler.ScheduleJob(TriggerBuilder.Create()
            .WithIdentity("test-retry", FetchUsersJob.RetryGroup)
            .ForJob(FetchUsersJob.Key)
            .UsingJobData(FetchUsersJob.UsersKey, string.Join('\n', users.Skip(4)))
            .UsingJobData(FetchUsersJob.AttemptKey, "1")
            .StartNow()
            .Build());
        await Eventually.WaitUntilAsync(async () => await db.ScalarAsync<long>(
            "SELECT count(*) FROM data_fetch_logs WHERE job_type = 'fetch_users' AND status <> 'running'") == 1, TimeSpan.FromSeconds(60), "the retry ran");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(scenario.Sandbox.RequestLog.Snapshot().Select(r => r.User).Distinct(StringComparer.OrdinalIgnoreCase),
                Is.EquivalentTo(users.Skip(4)), "only the users the retry carries");
            Assert.That(await db.ScalarAsync<string>("SELECT status FROM data_fetch_logs WHERE job_type = 'fetch_users'"), Is.EqualTo("succeeded"));
        }

        gate.Close();
        var fired = TimeProvider.System.GetUtcNow();
        await scheduler.ScheduleJob(TriggerBuilder.Create()
            .WithIdentity("test-retry-2", FetchUsersJob.RetryGroup)
            .ForJob(FetchUsersJob.Key)
            .UsingJobData(FetchUsersJob.UsersKey, users[0])
            .UsingJobData(FetchUsersJob.AttemptKey, "1")
            .StartNow()
            .Build());
        var second = await RetryTriggerAsync(scheduler);
        gate.Open();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(second.StartTimeUtc - fired, Is.InRange(TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(15.5)));
            Assert.That(second.JobDataMap[FetchUsersJob.UsersKey], Is.EqualTo(users[0]));
            Assert.That(second.JobDataMap[FetchUsersJob.AttemptKey], Is.EqualTo("2"));
        }

        await scenario.Host.StopAsync();
    }

    private static Task<FetchScenario> StartAsync(TestDatabase db, TcpGate gate) =>
        FetchScenario.StartAsync(new SandboxOptions { Users = 6, Seed = 81, PrivateUserFraction = 0, MissingUsernames = 0 },
            settings: new Dictionary<string, string?>
            {
                ["ConnectionStrings:Postgres"] = gate.ConnectionStringFor(db.ConnectionString),
                ["Database:OutageTolerance"] = "00:00:01",
                // Far from now: only the test's own triggers fire.
                ["Schedules:FetchUsers"] = "0 0 3 1 1 ? 2099",
                ["Schedules:RecalculateSimilarities"] = "0 0 3 1 1 ? 2099",
                ["Schedules:GenerateRecommendations"] = "0 0 3 1 1 ? 2099",
            }, database: db);

    private static async Task<IScheduler> SchedulerAsync(IHost host)
    {
        var factories = host.Services.GetServices<ISchedulerFactory>().Concat(host.Services.GetKeyedServices<ISchedulerFactory>(KeyedService.AnyKey));
        foreach (var factory in factories)
        {
            if ((await factory.GetAllSchedulers()).FirstOrDefault(s => s.SchedulerName == SchedulingRegistration.SchedulerName) is { } scheduler)
            {
                return scheduler;
            }
        }

        throw new InvalidOperationException("no scheduler named " + SchedulingRegistration.SchedulerName);
    }

    /// <summary>The retry trigger the job scheduled, once there is one that has not fired yet.</summary>
    private static async Task<ITrigger> RetryTriggerAsync(IScheduler scheduler)
    {
        ITrigger? found = null;
        await Eventually.WaitUntilAsync(async () =>
        {
            found = (await scheduler.GetTriggersOfJob(FetchUsersJob.Key))
                .FirstOrDefault(t => t.Key.Group == FetchUsersJob.RetryGroup && t.Key.Name.StartsWith("fetch-users-retry-", StringComparison.Ordinal));
            return found is not null;
        }, TimeSpan.FromSeconds(60), "a retry trigger");
        return found!;
    }
}
