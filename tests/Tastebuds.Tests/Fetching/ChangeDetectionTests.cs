using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tastebuds.Sandbox;
using Tastebuds.Worker.Lastfm;

namespace Tastebuds.Tests.Fetching;

/// <summary>Issue 10: an unchanged user costs user.getInfo and one probe; a changed one is fetched in full and stored exactly.</summary>
public sealed class ChangeDetectionTests
{
    [Test]
    public async Task A_second_fetch_of_an_unchanged_world_costs_2_requests_a_user_and_changes_no_row_except_last_fetched_at()
    {
        await using var scenario = await FetchScenario.StartAsync(new SandboxOptions { Users = 30, Seed = 21, PrivateUserFraction = 0 });
        var first = await scenario.FetchAsync();
        var before = await DatabaseDump.RowsAsync(scenario.Database, "last_fetched_at");
        var fetchedBefore = await LastFetchedAsync(scenario);
        var requestsBefore = scenario.Sandbox.RequestLog.Count;

        var second = await scenario.FetchAsync();

        var users = scenario.Sandbox.World.Users.Count;
        var rows = await UserRowsAsync(scenario, second.RunId);
        var fetchedAfter = await LastFetchedAsync(scenario);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Succeeded, Is.EqualTo(users));
            Assert.That(second.Unchanged, Is.EqualTo(users));
            Assert.That(second.Succeeded + second.Failed + second.Skipped, Is.Zero);
            Assert.That(scenario.Sandbox.RequestLog.Count - requestsBefore, Is.EqualTo(2 * users), "user.getInfo and one page of loved tracks each");
            Assert.That(second.Requests, Is.EqualTo(2 * users));
            Assert.That(rows.Select(r => (r.Status, r.Requests)), Is.All.EqualTo(("unchanged", 2)));
            Assert.That(await DatabaseDump.RowsAsync(scenario.Database, "last_fetched_at"), Is.EqualTo(before), "no row changed but for last_fetched_at");
            Assert.That(fetchedAfter.Keys, Is.EquivalentTo(fetchedBefore.Keys));
            Assert.That(fetchedAfter.Where(kv => kv.Value <= fetchedBefore[kv.Key]), Is.Empty, "every user's last_fetched_at moved");
        }
    }

    [Test]
    public async Task A_changed_user_is_refetched_in_full_and_the_database_equals_a_full_fetch_of_the_changed_world()
    {
        await using var scenario = await FetchScenario.StartAsync(new SandboxOptions { Users = 40, Seed = 23, PrivateUserFraction = 0 });
        await scenario.FetchAsync();
        var world = scenario.Sandbox.AdvanceWeeks(1, changedFraction: 0.3, newUserFraction: 0.05);
        // New users reach the fetch the way applications add them: a row in lastfm_users.
        await using (var connection = await scenario.Database.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("INSERT INTO lastfm_users (username) SELECT unnest(@names)", new { names = world.AddedUsernames.ToArray() });
        }

        var second = await scenario.FetchAsync();

        var limits = scenario.Host.Services.GetRequiredService<IOptions<FetchLimitsOptions>>().Value;
        var expected = new ExpectedFromWorld(world, limits, world.Users.Select(u => u.Name));
        var rows = (await UserRowsAsync(scenario, second.RunId)).ToDictionary(r => r.Username, StringComparer.OrdinalIgnoreCase);
        var db = scenario.Database;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(world.ChangedUsernames, Has.Count.GreaterThan(5));
            Assert.That(world.AddedUsernames, Has.Count.EqualTo(2));
            Assert.That(await DatabaseDump.UsersAsync(db), Is.EqualTo(expected.Profiles()));
            Assert.That(await DatabaseDump.TracksAsync(db), Is.EqualTo(expected.Tracks()));
            Assert.That(await DatabaseDump.AlbumsAsync(db), Is.EqualTo(expected.Albums()));
            Assert.That(await DatabaseDump.ArtistsAsync(db), Is.EqualTo(expected.Artists()));
            Assert.That(expected.Tracks().Count(l => !l.EndsWith(" | ", StringComparison.Ordinal)), Is.GreaterThan(0), "the world has tags");
            foreach (var name in world.ChangedUsernames)
            {
                Assert.That(rows[name].Status, Is.EqualTo("succeeded"), name);
                Assert.That(rows[name].Reason, Is.AnyOf("playcount_changed", "loved_changed"), name);
                Assert.That(rows[name].Requests, Is.EqualTo(rows[name].Reason == "loved_changed" ? 6 : 5), $"{name}: no tag request between tag refreshes");
            }

            foreach (var name in world.AddedUsernames)
            {
                Assert.That((rows[name].Status, rows[name].Reason), Is.EqualTo(("succeeded", "never_fetched")), name);
            }

            Assert.That(rows.Values.Where(r => !world.ChangedUsernames.Contains(r.Username) && !world.AddedUsernames.Contains(r.Username)),
                Has.All.Matches<UserRow>(r => r.Status == "unchanged" && r.Requests == 2));
            Assert.That(world.ChangedUsernames.Select(n => rows[n].Reason).Distinct().Count(), Is.EqualTo(2), "both play count and loves-only changes were met");
        }
    }

    [Test]
    public async Task Users_past_FullRefreshAfter_past_TagsRefreshAfter_or_whose_last_fetch_failed_are_refetched_in_full()
    {
        await using var scenario = await FetchScenario.StartAsync(new SandboxOptions { Users = 12, Seed = 29, PrivateUserFraction = 0 });
        await scenario.FetchAsync();
        var names = scenario.Sandbox.World.Users.Where(u => u.TopTags.Count > 0).Select(u => u.Name).Take(3).ToArray();
        await using (var connection = await scenario.Database.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("UPDATE lastfm_users SET last_full_fetch_at = now() - interval '29 days' WHERE username = @u", new { u = names[0] });
            await connection.ExecuteAsync("UPDATE lastfm_users SET tags_fetched_at = now() - interval '29 days' WHERE username = @u", new { u = names[1] });
            await connection.ExecuteAsync(
                """
                INSERT INTO data_fetch_logs (run_id, job_type, username, status, finished_at, error_message)
                VALUES (gen_random_uuid(), 'fetch_user', @u, 'failed', now(), 'a failure of an earlier run')
                """, new { u = names[2] });
        }

        var second = await scenario.FetchAsync();

        var rows = (await UserRowsAsync(scenario, second.RunId)).ToDictionary(r => r.Username);
        var tagRequests = (IReadOnlyList<int>)[.. names.Select(n => 1 + (3 * Math.Min(5, scenario.Sandbox.World.FindUser(n)!.TopTags.Count)))];
        using (Assert.EnterMultipleScope())
        {
            Assert.That((rows[names[0]].Status, rows[names[0]].Reason, rows[names[0]].Requests), Is.EqualTo(("succeeded", "refresh_due", 5)));
            Assert.That((rows[names[1]].Status, rows[names[1]].Reason, rows[names[1]].Requests), Is.EqualTo(("succeeded", "tags_due", 5 + tagRequests[1])));
            Assert.That((rows[names[2]].Status, rows[names[2]].Reason, rows[names[2]].Requests), Is.EqualTo(("succeeded", "last_failed", 5)));
            Assert.That(rows.Values.Where(r => !names.Contains(r.Username)), Has.All.Matches<UserRow>(r => r.Status == "unchanged"));
            Assert.That(second.Succeeded, Is.EqualTo(3));
            Assert.That(await scenario.Database.ScalarAsync<bool>(
                $"SELECT last_full_fetch_at > now() - interval '1 hour' FROM lastfm_users WHERE username = '{names[0]}'"), Is.True);
        }
    }

    [Test]
    public async Task Users_fetched_in_the_same_run_come_due_at_different_points_between_half_the_bound_and_the_bound()
    {
        await using var scenario = await FetchScenario.StartAsync(new SandboxOptions { Users = 12, Seed = 33, PrivateUserFraction = 0 });
        await scenario.FetchAsync();
        var names = scenario.Sandbox.World.Users.Select(u => u.Name).ToArray();
        await using var connection = await scenario.Database.DataSource.OpenConnectionAsync();
        var fractions = (await connection.QueryAsync<double>("SELECT refresh_fraction FROM lastfm_users")).ToList();
        // 0.6 × 28 days = 16.8 days: 16 days ago is not due yet, 17 days ago is.
        await connection.ExecuteAsync(
            "UPDATE lastfm_users SET refresh_fraction = 0.6, last_full_fetch_at = now() - make_interval(days => CASE WHEN username = @a THEN 16 ELSE 17 END) WHERE username IN (@a, @b)",
            new { a = names[0], b = names[1] });

        var second = await scenario.FetchAsync();

        var rows = (await UserRowsAsync(scenario, second.RunId)).ToDictionary(r => r.Username);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(fractions, Has.Count.EqualTo(12).And.All.InRange(0.5, 1.0).And.All.Not.EqualTo(0.5));
            Assert.That(fractions.Distinct().Count(), Is.GreaterThan(1), "drawn per user");
            Assert.That((rows[names[0]].Status, rows[names[1]].Status, rows[names[1]].Reason), Is.EqualTo(("unchanged", "succeeded", "refresh_due")));
        }
    }

    [Test]
    public async Task With_change_detection_switched_off_every_fetch_is_a_full_one_as_before()
    {
        await using var scenario = await FetchScenario.StartAsync(new SandboxOptions { Users = 10, Seed = 31, PrivateUserFraction = 0 },
            settings: new Dictionary<string, string?> { ["Fetching:FullRefreshAfter"] = "00:00:00", ["Fetching:TagsRefreshAfter"] = "00:00:00" });
        var first = await scenario.FetchAsync();

        var second = await scenario.FetchAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(second.Succeeded, Is.EqualTo(10));
            Assert.That(second.Requests, Is.EqualTo(first.Requests));
        }
    }

    internal sealed record UserRow(string Username, string Status, int Requests, string? Reason);

    internal static async Task<List<UserRow>> UserRowsAsync(FetchScenario scenario, Guid runId)
    {
        await using var connection = await scenario.Database.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<UserRow>(
            """
            SELECT username AS Username, status AS Status, requests_made AS Requests, details->>'fetch_reason' AS Reason
            FROM data_fetch_logs WHERE run_id = @runId AND job_type = 'fetch_user' ORDER BY id
            """, new { runId })).ToList();
    }

    private static async Task<Dictionary<string, DateTime>> LastFetchedAsync(FetchScenario scenario)
    {
        await using var connection = await scenario.Database.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<(string Name, DateTime At)>("SELECT username, last_fetched_at FROM lastfm_users"))
            .ToDictionary(r => r.Name, r => r.At);
    }
}
