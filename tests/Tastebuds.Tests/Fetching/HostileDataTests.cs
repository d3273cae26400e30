using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tastebuds.Sandbox;
using Tastebuds.Sandbox.Faults;
using Tastebuds.Tests.Support;
using Tastebuds.Worker.Lastfm;

namespace Tastebuds.Tests.Fetching;

/// <summary>
/// A fetch against a dirty or hostile Last.fm (the sandbox's hostile faults): nothing one user's data holds ends the
/// run, nothing unbounded or unstorable is stored, no response is stored under another user, no key leaves.
/// </summary>
public sealed class HostileDataTests
{
    [Test]
    public async Task Lone_surrogates_nuls_absurd_timestamps_and_absurd_counts_fail_no_user_and_are_stored_repaired_and_bounded()
    {
        var world = Names(6);
        await using var scenario = await StartAsync(world,
            new HostileFault(HostileFaultKind.DirtyText, world[1]),
            new HostileFault(HostileFaultKind.AbsurdTimestamps, world[2]),
            new HostileFault(HostileFaultKind.AbsurdNumbers, world[3]));

        var result = await scenario.FetchAsync();

        var db = scenario.Database;
        using (Assert.EnterMultipleScope())
        {
            Assert.That((result.Succeeded, result.Failed), Is.EqualTo((6, 0)), "every user, the dirty ones included");
            Assert.That(await RunStatusAsync(db), Is.EqualTo("succeeded"));
            Assert.That(await db.ScalarAsync<long>("SELECT count(*) FROM data_fetch_logs WHERE status = 'running'"), Is.Zero);
            Assert.That(await db.ScalarAsync<long>(
                $"SELECT count(*) FROM user_track_interactions i JOIN tracks t ON t.id = i.track_id JOIN lastfm_users u ON u.id = i.user_id WHERE u.username = '{world[1]}' AND t.name LIKE '%\uFFFD%'"),
                Is.Positive, "a lone surrogate is stored as U+FFFD");
            Assert.That(await db.ScalarAsync<string?>($"SELECT registered_at::text FROM lastfm_users WHERE username = '{world[2]}'"), Is.Null,
                "a registration in the year 3 million is unknown");
            Assert.That(await db.ScalarAsync<long>(
                $"SELECT count(*) FROM user_track_interactions i JOIN lastfm_users u ON u.id = i.user_id WHERE u.username = '{world[2]}' AND i.is_loved AND i.loved_at IS NOT NULL"),
                Is.Zero, "every love time the server sent was absurd");
            Assert.That(await db.ScalarAsync<long>($"SELECT total_playcount FROM lastfm_users WHERE username = '{world[3]}'"), Is.EqualTo(1_000_000_000));
            Assert.That(await db.ScalarAsync<long>("SELECT max(play_count) FROM user_track_interactions"), Is.LessThanOrEqualTo(1_000_000_000));
            Assert.That(await db.ScalarAsync<long>("SELECT sum(total_plays)::bigint FROM track_popularity_across_users"), Is.Positive,
                "the view sums bounded counts");
            Assert.That(scenario.Logs.Entries.Select(e => e.Everything).Count(m => m.Contains("play count", StringComparison.Ordinal) && m.Contains(world[3], StringComparison.Ordinal)),
                Is.Positive, "each dropped or clamped count is a warning naming the user");
        }
    }

    [Test]
    public async Task A_response_for_another_user_fails_the_user_asked_for_and_stores_nothing_under_either_name()
    {
        var world = Names(4);
        var (impostor, victim) = (world[0], world[1]);
        await using var scenario = await StartAsync([victim, impostor, world[2], world[3]],
            new HostileFault(HostileFaultKind.Impostor, impostor, victim));

        var result = await scenario.FetchAsync();

        var limits = scenario.Host.Services.GetRequiredService<IOptions<FetchLimitsOptions>>().Value;
        var expected = new ExpectedFromWorld(scenario.Sandbox.World, limits, [victim, world[2], world[3]]);
        var db = scenario.Database;
        using (Assert.EnterMultipleScope())
        {
            Assert.That((result.Succeeded, result.Failed), Is.EqualTo((3, 1)));
            Assert.That(await DatabaseDump.TracksAsync(db), Is.EqualTo(expected.Tracks()), "the victim's data is the victim's own");
            Assert.That(await DatabaseDump.UsersAsync(db), Is.EqualTo(expected.Profiles()), "no row for the impostor");
            Assert.That(await db.ScalarAsync<string>($"SELECT status FROM data_fetch_logs WHERE job_type = 'fetch_user' AND username = '{impostor}'"),
                Is.EqualTo("failed"));
            Assert.That(await db.ScalarAsync<string>($"SELECT error_message FROM data_fetch_logs WHERE job_type = 'fetch_user' AND username = '{impostor}'"),
                Does.Contain($"response was for user '{victim}'"));
            Assert.That(await db.ScalarAsync<string>($"SELECT details ->> 'error_class' FROM data_fetch_logs WHERE job_type = 'fetch_user' AND username = '{impostor}'"),
                Is.EqualTo(nameof(LastfmWrongUserException)));
            Assert.That(await RunStatusAsync(db), Is.EqualTo("partial"), "a run with a failed user is not 'succeeded'");
            Assert.That(await db.ScalarAsync<string>("SELECT details ->> 'failed' FROM data_fetch_logs WHERE job_type = 'fetch_users'"), Is.EqualTo("1"));
        }
    }

    [Test]
    public async Task A_server_that_ignores_paging_costs_two_pages_a_list_and_repeated_items_are_not_summed()
    {
        var world = Names(3);
        // Limits above what any list holds, so the client asks for a second page of every list.
        var limits = new Dictionary<string, string?>
        {
            ["FetchLimits:TracksPerUser"] = "2000", ["FetchLimits:AlbumsPerUser"] = "2000", ["FetchLimits:ArtistsPerUser"] = "2000",
            ["FetchLimits:LovedTracksPerUser"] = "2000", ["FetchLimits:TagsPerUser"] = "0",
        };
        await using var clean = await FetchScenario.StartAsync(Options(), world, limits);
        await using var repeating = await FetchScenario.StartAsync(Options(new HostileFault(HostileFaultKind.RepeatingPages)), world, limits);

        await clean.FetchAsync();
        var result = await repeating.FetchAsync();

        var topTracks = repeating.Sandbox.RequestLog.Snapshot().Where(r => string.Equals(r.Method, "user.getTopTracks", StringComparison.OrdinalIgnoreCase)).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Failed, Is.Zero);
            Assert.That(topTracks.GroupBy(r => r.User).Select(g => g.Count()), Is.All.LessThanOrEqualTo(2),
                "page 2 repeats page 1: nothing new, the list ends (the server claims 1000 pages)");
            Assert.That(await DatabaseDump.EverythingAsync(repeating.Database), Is.EqualTo(await DatabaseDump.EverythingAsync(clean.Database)),
                "10 plays stay 10, not 10 per page");
        }
    }

    [Test]
    public async Task A_redirect_to_another_host_is_not_followed_so_the_key_never_reaches_it_and_only_that_user_fails()
    {
        var world = Names(3);
        await using var scenario = await StartAsync(world, new HostileFault(HostileFaultKind.RedirectOffHost, world[1]));

        var result = await scenario.FetchAsync();

        var db = scenario.Database;
        using (Assert.EnterMultipleScope())
        {
            Assert.That((result.Succeeded, result.Failed), Is.EqualTo((2, 1)));
            Assert.That(scenario.Sandbox.RequestLog.Snapshot().Where(r => r.Host.StartsWith("localhost", StringComparison.OrdinalIgnoreCase)), Is.Empty,
                "no request reached the other host");
            Assert.That(await db.ScalarAsync<string>($"SELECT error_message FROM data_fetch_logs WHERE job_type = 'fetch_user' AND username = '{world[1]}'"),
                Does.Contain("redirecting to http://localhost:").And.Contain("not followed").And.Not.Contain(FetchScenario.ApiKey));
            Assert.That(await db.ScalarAsync<long>($"SELECT count(*) FROM lastfm_users WHERE username = '{world[1]}'"), Is.Zero);
        }
    }

    [Test]
    public async Task An_error_message_that_echoes_the_request_reaches_the_table_and_the_logs_without_the_key()
    {
        var world = Names(2);
        await using var scenario = await StartAsync(world, new HostileFault(HostileFaultKind.EchoingErrors, world[0]));

        var result = await scenario.FetchAsync();

        var stored = await scenario.Database.ScalarAsync<string>(
            $"SELECT error_message FROM data_fetch_logs WHERE job_type = 'fetch_user' AND username = '{world[0]}'");
        using (Assert.EnterMultipleScope())
        {
            Assert.That((result.Succeeded, result.Failed), Is.EqualTo((1, 1)));
            Assert.That(stored, Does.Contain("request was GET").And.Contain("api_key=***"), "the echo is kept, the key is not");
            Assert.That(stored, Does.Not.Contain(FetchScenario.ApiKey));
            Assert.That(scenario.Logs.Entries.Select(e => e.Everything).Where(m => m.Contains("request was GET", StringComparison.Ordinal)), Is.Not.Empty);
            Assert.That(scenario.Logs.Entries.Select(e => e.Everything).Where(m => m.Contains(FetchScenario.ApiKey, StringComparison.Ordinal)), Is.Empty);
            Assert.That(await scenario.Database.ScalarAsync<long>(
                $"SELECT count(*) FROM data_fetch_logs WHERE details::text LIKE '%{FetchScenario.ApiKey}%' OR error_message LIKE '%{FetchScenario.ApiKey}%'"), Is.Zero);
        }
    }

    [Test]
    public async Task Usernames_that_differ_only_in_case_are_one_user_kept_in_last_fms_spelling()
    {
        var name = Names(1)[0];
        await using var scenario = await FetchScenario.StartAsync(Options(), [name.ToUpperInvariant()]);

        var upper = await scenario.FetchAsync();
        var lower = await scenario.Runner.RunAsync([name.ToLowerInvariant()], null, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            // The second fetch finds the same user unchanged (2 requests): the profile still names the user asked for.
            Assert.That((upper.Succeeded, lower.Unchanged, lower.Failed), Is.EqualTo((1, 1, 0)), "the profile names the user asked for, in another case");
            Assert.That(await scenario.Database.ScalarAsync<long>("SELECT count(*) FROM lastfm_users"), Is.EqualTo(1));
            Assert.That(await scenario.Database.ScalarAsync<string>("SELECT username FROM lastfm_users"), Is.EqualTo(name));
            Assert.ThrowsAsync<Npgsql.PostgresException>(() => scenario.Database.ExecuteAsync(
                $"INSERT INTO lastfm_users (username) VALUES ('{name.ToUpperInvariant()}')"), "a unique index on lower(username)");
        }
    }

    private static SandboxOptions Options(params HostileFault[] faults) =>
        new() { Users = 8, Seed = 61, PrivateUserFraction = 0, MissingUsernames = 0, HostileFaults = faults };

    /// <summary>The first public users of the world the tests use (seed 61), in world order.</summary>
    private static List<string> Names(int count) =>
        Tastebuds.Sandbox.World.SandboxWorld.Generate(8, 61, privateFraction: 0, missingUsernames: 0).Users.Where(u => !u.IsPrivate).Take(count).Select(u => u.Name).ToList();

    private static Task<FetchScenario> StartAsync(IEnumerable<string> users, params HostileFault[] faults) =>
        FetchScenario.StartAsync(Options(faults), users);

    private static async Task<string?> RunStatusAsync(TestDatabase db) =>
        await db.ScalarAsync<string>("SELECT status FROM data_fetch_logs WHERE job_type = 'fetch_users' ORDER BY id DESC LIMIT 1");
}
