using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tastebuds.Sandbox;
using Tastebuds.Worker.Fetching;

namespace Tastebuds.Tests.Fetching;

/// <summary>Issue 10: a run spends its requests where they matter most, so one cut short has done the most useful part.</summary>
public sealed class RunOrderTests
{
    [Test]
    public async Task A_run_takes_users_never_fetched_first_then_users_whose_last_fetch_failed_then_the_stalest()
    {
        await using var scenario = await FetchScenario.StartAsync(new SandboxOptions { Users = 8, Seed = 37, PrivateUserFraction = 0 }, users: []);
        var names = scenario.Sandbox.World.Users.Select(u => u.Name).ToArray();
        await scenario.Runner.RunAsync(names[..4], null, CancellationToken.None);
        await using (var connection = await scenario.Database.DataSource.OpenConnectionAsync())
        {
            foreach (var (name, daysAgo) in new[] { (names[0], 3), (names[1], 10), (names[2], 1), (names[3], 5) })
            {
                await connection.ExecuteAsync("UPDATE lastfm_users SET last_fetched_at = now() - make_interval(days => @daysAgo) WHERE username = @name",
                    new { name, daysAgo });
            }

            await connection.ExecuteAsync(
                "INSERT INTO data_fetch_logs (run_id, job_type, username, status, finished_at) VALUES (gen_random_uuid(), 'fetch_user', @name, 'failed', now())",
                new { name = names[2] });
            await connection.ExecuteAsync("INSERT INTO lastfm_users (username) VALUES (@a), (@b)", new { a = names[5], b = names[4] });
        }

        var expected = new[] { names[4], names[5] }.Order(StringComparer.OrdinalIgnoreCase)
            .Concat([names[2], names[1], names[3], names[0]]).ToArray();
        var listed = await scenario.Host.Services.GetRequiredService<FetchUserDirectory>().ListAsync(CancellationToken.None);
        var run = await scenario.FetchAsync();
        var fetched = (await ChangeDetectionTests.UserRowsAsync(scenario, run.RunId)).Select(r => r.Username);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(listed, Is.EqualTo(expected), "never fetched (by name), failed, then stalest first");
            Assert.That(fetched, Is.EqualTo(expected), "the run fetched them in that order");
        }
    }

    [Test]
    public void The_order_puts_a_user_with_a_verdict_but_no_data_before_the_stored_ones_and_names_break_ties()
    {
        var at = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var order = FetchUserDirectory.Order(
        [
            new("old", at.AddDays(-9), "unchanged"),
            new("skipped-once", null, "skipped"),
            new("Beta", null, null),
            new("alpha", null, null),
            new("ALPHA", null, null),
            new("failed", at, "failed"),
            new("tie-b", at.AddDays(-1), "succeeded"),
            new("tie-a", at.AddDays(-1), "succeeded"),
        ]);

        Assert.That(order, Is.EqualTo(new[] { "alpha", "Beta", "failed", "skipped-once", "old", "tie-a", "tie-b" }));
    }
}
