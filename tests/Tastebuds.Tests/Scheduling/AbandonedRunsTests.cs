using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Tastebuds.Tests.Support;
using Tastebuds.Worker.Cli;
using Tastebuds.Worker.Fetching;
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

        var marked = await host.Services.GetRequiredService<AbandonedRuns>().MarkAsync(CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(marked, Is.EqualTo(2));
            Assert.That(await db.ScalarAsync<string>("SELECT string_agg(host, ',' ORDER BY host) FROM data_fetch_logs WHERE status = 'running'"),
                Is.EqualTo($"elsewhere/1,{FetchLogStore.ThisProcess}"));
        }
    }

    [Test]
    public async Task Unclustered_rows_of_every_other_machine_are_abandoned()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        await SeedAsync(db);
        using var host = await PreparedHostAsync(db, clustered: false);

        var marked = await host.Services.GetRequiredService<AbandonedRuns>().MarkAsync(CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(marked, Is.EqualTo(3));
            Assert.That(await db.ScalarAsync<string>("SELECT string_agg(host, ',') FROM data_fetch_logs WHERE status = 'running'"),
                Is.EqualTo(FetchLogStore.ThisProcess));
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
                   (gen_random_uuid(), 'fetch_users', 'running', 'elsewhere/3'),
                   (gen_random_uuid(), 'fetch_users', 'running', '{FetchLogStore.ThisProcess}');
            """);
    }
}
