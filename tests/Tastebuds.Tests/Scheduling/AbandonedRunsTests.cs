using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Tastebuds.Tests.Support;
using Tastebuds.Worker.Cli;
using Tastebuds.Worker.Hosting;
using Tastebuds.Worker.Scheduling;

namespace Tastebuds.Tests.Scheduling;

/// <summary>The rule for log rows left running by other machines: unclustered all are gone, clustered only those of dead nodes.</summary>
public sealed class AbandonedRunsTests
{
    [Test]
    public async Task Clustered_rows_of_a_node_that_checked_in_recently_stay_running_and_the_rest_are_abandoned()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        await SeedAsync(db);
        using var host = await PreparedHostAsync(db, clustered: true);

        var marked = await host.Services.GetRequiredService<AbandonedRuns>().MarkAsync(daemonStart: true, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(marked, Is.EqualTo(2));
            Assert.That(await db.ScalarAsync<string>("SELECT string_agg(host, ',' ORDER BY host) FROM data_fetch_logs WHERE status = 'running'"),
                Is.EqualTo($"elsewhere/1,{ProcessInstance.Host}"));
        }
    }

    [Test]
    public async Task Unclustered_rows_of_every_other_machine_are_abandoned()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        await SeedAsync(db);
        using var host = await PreparedHostAsync(db, clustered: false);

        var marked = await host.Services.GetRequiredService<AbandonedRuns>().MarkAsync(daemonStart: true, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(marked, Is.EqualTo(3));
            Assert.That(await db.ScalarAsync<string>("SELECT string_agg(host, ',') FROM data_fetch_logs WHERE status = 'running'"),
                Is.EqualTo(ProcessInstance.Host));
        }
    }

    [Test]
    public async Task A_verb_leaves_the_rows_of_other_machines_running_since_a_daemon_may_run_there()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        await SeedAsync(db);
        using var host = await PreparedHostAsync(db, clustered: false);

        var marked = await host.Services.GetRequiredService<AbandonedRuns>().MarkAsync(daemonStart: false, CancellationToken.None);

        Assert.That(marked, Is.Zero);
    }

    [Test]
    public async Task A_row_with_this_process_id_but_another_instance_is_abandoned_as_after_a_container_restart()
    {
        // A container restarted after kill -9 runs as PID 1 again on the same host name: same host column, new instance.
        await using var db = await TestPostgres.CreateDatabaseAsync();
        await db.ExecuteAsync($"""
            INSERT INTO data_fetch_logs (run_id, job_type, status, host, instance_id, instance_started_at)
            VALUES (gen_random_uuid(), 'fetch_users', 'running', '{ProcessInstance.Host}', '{ProcessInstance.Host}/0badc0de',
                    '{ProcessInstance.StartedAt.AddMinutes(-5):O}');
            """);
        using var host = await PreparedHostAsync(db, clustered: false);

        var marked = await host.Services.GetRequiredService<AbandonedRuns>().MarkAsync(daemonStart: false, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(marked, Is.EqualTo(1));
            Assert.That(await db.ScalarAsync<string>("SELECT status FROM data_fetch_logs"), Is.EqualTo("abandoned"));
        }
    }

    [Test]
    public async Task A_row_whose_pid_now_belongs_to_a_process_started_at_another_time_is_abandoned()
    {
        // PID reuse: the recorded pid runs (it is PID 1 here), but it started long before the row's process did.
        await using var db = await TestPostgres.CreateDatabaseAsync();
        await db.ExecuteAsync($"""
            INSERT INTO data_fetch_logs (run_id, job_type, status, host, instance_id, instance_started_at)
            VALUES (gen_random_uuid(), 'fetch_users', 'running', '{Environment.MachineName}/1', '{Environment.MachineName}/1/12345678',
                    '{ProcessInstance.StartedAt:O}'),
                   (gen_random_uuid(), 'fetch_users', 'running', '{ProcessInstance.Host}', '{ProcessInstance.Id}', '{ProcessInstance.StartedAt:O}');
            """);
        using var host = await PreparedHostAsync(db, clustered: false);

        var marked = await host.Services.GetRequiredService<AbandonedRuns>().MarkAsync(daemonStart: false, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(marked, Is.EqualTo(1));
            Assert.That(await db.ScalarAsync<string>("SELECT host FROM data_fetch_logs WHERE status = 'running'"), Is.EqualTo(ProcessInstance.Host));
        }
    }

    internal static async Task<IHost> PreparedHostAsync(TestDatabase db, bool clustered)
    {
        var host = db.BuildHost(new Dictionary<string, string?> { ["Scheduler:Clustered"] = clustered ? "true" : "false" });
        await WorkerHost.PrepareAsync(host, CancellationToken.None);
        return host;
    }

    private static async Task SeedAsync(TestDatabase db)
    {
        // Quartz's units: last_checkin_time in UTC ticks, checkin_interval in milliseconds.
        var now = TimeProvider.System.GetUtcNow();
        await db.ExecuteAsync($"""
            INSERT INTO qrtz_scheduler_state (sched_name, instance_name, last_checkin_time, checkin_interval)
            VALUES ('tastebuds', 'elsewhere/1', {now.UtcTicks}, 15000),
                   ('tastebuds', 'elsewhere/2', {(now - TimeSpan.FromMinutes(10)).UtcTicks}, 15000);
            INSERT INTO data_fetch_logs (run_id, job_type, status, host)
            VALUES (gen_random_uuid(), 'fetch_users', 'running', 'elsewhere/1'),
                   (gen_random_uuid(), 'fetch_users', 'running', 'elsewhere/2'),
                   (gen_random_uuid(), 'fetch_users', 'running', 'elsewhere/3');
            INSERT INTO data_fetch_logs (run_id, job_type, status, host, instance_id, instance_started_at)
            VALUES (gen_random_uuid(), 'fetch_users', 'running', '{ProcessInstance.Host}', '{ProcessInstance.Id}', '{ProcessInstance.StartedAt:O}');
            """);
    }
}
