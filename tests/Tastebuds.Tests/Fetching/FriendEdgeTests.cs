using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tastebuds.Sandbox;
using Tastebuds.Worker.Fetching;
using Tastebuds.Worker.Lastfm;

namespace Tastebuds.Tests.Fetching;

/// <summary>The social graph in <c>user_friends</c> (sql/0013): written by a fetch that fetched the user's friends.</summary>
public sealed class FriendEdgeTests
{
    private const string EdgesOf =
        """
        SELECT f.username FROM user_friends e JOIN lastfm_users u ON u.id = e.user_id JOIN lastfm_users f ON f.id = e.friend_id
        WHERE lower(u.username) = lower(@name) ORDER BY f.username
        """;

    [Test]
    public async Task With_discovery_on_a_fetch_stores_each_users_friends_as_edges_and_a_refetch_without_discovery_keeps_them()
    {
        await using var scenario = await FetchScenario.StartAsync(
            new SandboxOptions { Users = 30, Seed = 12, PrivateUserFraction = 0, MissingUsernames = 0 },
            settings: new Dictionary<string, string?> { ["Lastfm:DiscoverFriends"] = "true", ["Fetching:FullRefreshAfter"] = "00:00:00" });
        var world = scenario.Sandbox.World.Users;

        await scenario.FetchAsync();
        await scenario.FetchAsync();
        await using var connection = await scenario.Database.DataSource.OpenConnectionAsync();
        var stored = new Dictionary<string, string[]>();
        foreach (var user in world)
        {
            stored[user.Name] = [.. await connection.QueryAsync<string>(EdgesOf, new { name = user.Name })];
        }

        await using var quiet = await FetchScenario.StartAsync(
            new SandboxOptions { Users = 30, Seed = 12, PrivateUserFraction = 0, MissingUsernames = 0 },
            settings: new Dictionary<string, string?> { ["Fetching:FullRefreshAfter"] = "00:00:00" }, database: scenario.Database);
        await quiet.FetchAsync();
        var kept = await scenario.Database.ScalarAsync<long>("SELECT count(*) FROM user_friends");
        var logged = await scenario.Database.ScalarAsync<long>(
            "SELECT coalesce(sum((details ->> 'friends')::int), 0) FROM data_fetch_logs WHERE job_type = 'fetch_user' AND status = 'succeeded'");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(world.Sum(u => u.Friends.Count), Is.GreaterThan(20), "the world has friendships");
            foreach (var user in world)
            {
                Assert.That(stored[user.Name], Is.EquivalentTo(user.Friends), $"{user.Name}'s edges after two fetches (replaced, not added)");
            }

            Assert.That(kept, Is.EqualTo(world.Sum(u => u.Friends.Count)), "a full fetch that did not ask for friends keeps the edges");
            Assert.That(logged, Is.EqualTo(2 * world.Sum(u => u.Friends.Count)), "each fetch that asked logs the friends listed");
        }
    }

    [Test]
    public async Task A_refetch_replaces_the_users_edges_and_odd_names_resolve_to_one_stored_user_each()
    {
        await using var scenario = await FetchScenario.StartAsync(new SandboxOptions { Users = 3, Seed = 1 }, users: []);
        var store = scenario.Host.Services.GetRequiredService<SnapshotStore>();
        await scenario.Database.ExecuteAsync("INSERT INTO lastfm_users (username) VALUES ('Known'), ('gone')");

        await store.SaveAsync(MergedSnapshot.From(Snapshot("Me", "gone", "Known")), CancellationToken.None);
        await store.SaveAsync(MergedSnapshot.From(Snapshot("Me",
            "KNOWN", "known", "New Friend", "new friend", "   ", "", "ME", "esc\u001b[31mred", "Ünïcode ★")), CancellationToken.None);
        await using var connection = await scenario.Database.DataSource.OpenConnectionAsync();
        var edges = (await connection.QueryAsync<string>(EdgesOf, new { name = "me" })).ToList();
        var users = (await connection.QueryAsync<string>("SELECT username FROM lastfm_users ORDER BY username")).ToList();

        await store.SaveAsync(MergedSnapshot.From(Snapshot("Me")), CancellationToken.None);
        var afterEmpty = await scenario.Database.ScalarAsync<long>("SELECT count(*) FROM user_friends");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(edges, Is.EquivalentTo(new[] { "Known", "New Friend", "esc\u001b[31mred", "Ünïcode ★" }),
                "gone is no longer a friend; case variants are one user; blanks and the user themself are dropped");
            Assert.That(users, Is.EquivalentTo(new[] { "Known", "Me", "New Friend", "esc\u001b[31mred", "gone", "Ünïcode ★" }),
                "a new friend becomes a user to fetch under the first spelling served; known users are left as they are");
            Assert.That(afterEmpty, Is.Zero, "an empty friend list fetched replaces the edges with none");
        }
    }

    private static UserSnapshot Snapshot(string name, params string[] friends) =>
        new(new LastfmUserProfile(name, null, null, 10, null, null, null), "overall", [], [], [], [], [])
        {
            Friends = friends,
            FriendsFetched = true,
        };
}
