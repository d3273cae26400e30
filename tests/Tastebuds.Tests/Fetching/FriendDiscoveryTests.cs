using Dapper;
using Tastebuds.Sandbox;

namespace Tastebuds.Tests.Fetching;

public sealed class FriendDiscoveryTests
{
    [Test]
    public async Task With_discovery_on_a_users_friends_join_lastfm_users_and_are_fetched_by_the_next_run()
    {
        await using var scenario = await FetchScenario.StartAsync(
            new SandboxOptions { Users = 40, Seed = 12, PrivateUserFraction = 0, MissingUsernames = 0 },
            users: [],
            settings: new Dictionary<string, string?> { ["Lastfm:DiscoverFriends"] = "true" });
        var seed = scenario.Sandbox.World.Users.Where(u => u.Friends.Count >= 2).OrderBy(u => u.Name, StringComparer.Ordinal).First();

        await scenario.Runner.RunAsync([seed.Name], null, CancellationToken.None);
        await using var connection = await scenario.Database.DataSource.OpenConnectionAsync();
        var discovered = (await connection.QueryAsync<string>("SELECT username FROM lastfm_users WHERE is_active AND last_fetched_at IS NULL")).ToList();
        var second = await scenario.FetchAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(discovered, Is.EquivalentTo(seed.Friends).Using((IEqualityComparer<string>)StringComparer.OrdinalIgnoreCase));
            Assert.That(second.Users, Is.EqualTo(1 + seed.Friends.Count), "the next run fetches the seed user and every friend");
            Assert.That(await scenario.Database.ScalarAsync<long>("SELECT count(*) FROM lastfm_users WHERE last_fetched_at IS NULL"),
                Is.LessThanOrEqualTo(scenario.Sandbox.World.Users.Count), "friends of friends wait for the run after");
        }
    }

    [Test]
    public async Task With_discovery_off_no_friends_are_requested()
    {
        await using var scenario = await FetchScenario.StartAsync(new SandboxOptions { Users = 10, Seed = 12, PrivateUserFraction = 0, MissingUsernames = 0 });

        await scenario.FetchAsync();

        Assert.That(scenario.Sandbox.RequestLog.Snapshot().Select(r => r.Method), Has.None.EqualTo("user.getfriends").IgnoreCase);
    }
}
