using System.Globalization;
using Tastebuds.Sandbox;
using Tastebuds.Sandbox.World;
using Tastebuds.Tests.Support;

namespace Tastebuds.Tests.Sandbox;

public sealed class SandboxWorldTests
{
    [Test]
    public void The_same_seed_gives_the_same_world_and_different_seeds_differ()
    {
        var first = SandboxWorld.Generate(120, 7);
        var again = SandboxWorld.Generate(120, 7);
        var other = SandboxWorld.Generate(120, 8);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(again.ComputeFingerprint(), Is.EqualTo(first.ComputeFingerprint()));
            Assert.That(again.Users.Select(u => u.Name), Is.EqualTo(first.Users.Select(u => u.Name)));
            Assert.That(other.ComputeFingerprint(), Is.Not.EqualTo(first.ComputeFingerprint()));
            Assert.That(other.Users.Select(u => u.Name), Is.Not.EqualTo(first.Users.Select(u => u.Name)));
        }
    }

    [Test]
    public async Task Two_servers_with_the_same_seed_serve_identical_bytes()
    {
        await using var a = await SandboxServer.StartAsync(new SandboxOptions { Users = 60, Seed = 3 });
        await using var b = await SandboxServer.StartAsync(new SandboxOptions { Users = 60, Seed = 3 });
        using var http = SandboxHttp.Client();
        foreach (var user in a.World.Users.Take(5))
        {
            foreach (var method in new[] { "user.getInfo", "user.getTopTracks", "user.getLovedTracks", "user.getFriends" })
            {
                var fromA = await http.GetAsync(a, method, user.Name);
                var fromB = await http.GetAsync(b, method, user.Name);
                Assert.That(fromB.Body, Is.EqualTo(fromA.Body), $"{method} {user.Name}");
            }
        }
    }

    [Test]
    public void A_generated_world_is_consistent_and_exercises_name_normalisation()
    {
        var world = SandboxHttp.World.Value;
        var artists = world.Users.SelectMany(u => u.TopArtists).Select(a => a.Item).Distinct().ToArray();
        var tracks = world.Users.SelectMany(u => u.TopTracks).Select(t => t.Item).Distinct().ToArray();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(world.Users, Has.Count.EqualTo(200));
            Assert.That(world.Users.Select(u => u.Name.ToUpperInvariant()), Is.Unique);
            Assert.That(world.PrivateUsernames, Is.Not.Empty);
            Assert.That(world.MissingUsernames.Select(world.FindUser), Is.All.Null);
            Assert.That(world.Users.SelectMany(u => u.TopTracks).Select(t => t.Playcount), Is.All.GreaterThanOrEqualTo(1));
            Assert.That(artists.Select(a => a.Name.Trim().ToLowerInvariant()), Is.Unique, "one canonical name per artist");
            Assert.That(artists.Any(a => a.Name.Any(c => c > 0x2E80)), Is.True, "CJK");
            Assert.That(artists.Any(a => a.Name.Contains('é', StringComparison.Ordinal)), Is.True);
            Assert.That(artists.Any(a => a.Name.Contains('★', StringComparison.Ordinal)), Is.True);
            foreach (var special in new[] { "&", "/", "+", "\"", "ß" })
            {
                Assert.That(artists.Any(a => a.Name.Contains(special, StringComparison.Ordinal)), Is.True, special);
            }

            Assert.That(tracks.GroupBy(t => t.Name).Any(g => g.Select(t => t.Artist).Distinct().Count() > 1), Is.True, "shared titles");
            Assert.That(artists.Count(a => a.Mbid.Length == 0), Is.GreaterThan(artists.Length / 4), "many empty mbids");
        }

        foreach (var user in world.Users)
        {
            var trackPlays = user.TopTracks.Sum(t => t.Playcount);
            Assert.That(user.TopArtists.Sum(a => a.Playcount), Is.EqualTo(trackPlays), user.Name);
            Assert.That(user.TopAlbums.Sum(a => a.Playcount), Is.EqualTo(trackPlays), user.Name);
            Assert.That(user.TopTracks.Select(t => t.Playcount), Is.Ordered.Descending, user.Name);
        }

        var lovedOutsideTop = world.Users.Sum(u => u.LovedTracks.Count(l => u.TopTracks.All(t => t.Item != l.Track)));
        Assert.That(lovedOutsideTop, Is.GreaterThan(0));
    }

    [Test]
    public void Shorter_periods_are_deterministic_subsets_with_smaller_counts()
    {
        var user = SandboxHttp.World.Value.Users.MaxBy(u => u.TopTracks.Count)!;
        var week = user.TopTracksFor(SandboxPeriod.SevenDay);
        var overall = user.TopTracks.ToDictionary(t => t.Item, t => t.Playcount);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(week, Has.Count.LessThan(user.TopTracks.Count).And.Count.GreaterThan(0));
            Assert.That(week.All(t => overall.ContainsKey(t.Item) && t.Playcount <= overall[t.Item] && t.Playcount >= 1), Is.True);
            Assert.That(user.TopTracksFor(SandboxPeriod.TwelveMonth), Has.Count.GreaterThan(week.Count));
            Assert.That(SandboxWorld.Generate(200, 42).FindUser(user.Name)!.TopTracksFor(SandboxPeriod.SevenDay).Select(t => (t.Item.Name, t.Playcount)),
                Is.EqualTo(week.Select(t => (t.Item.Name, t.Playcount))));
        }
    }

    [Test]
    public void The_HetRec_world_loads_every_user_with_their_artists_and_friends()
    {
        var hetRec = SharedData.RequireHetRec();
        var world = SandboxWorld.LoadHetRec(hetRec);

        // Counted straight from the file, independently of the loader.
        var rowsOfUser2 = File.ReadLines(Path.Combine(hetRec, "user_artists.dat")).Skip(1)
            .Count(line => line.Split('\t')[0] == "2");
        var friendsOfUser2 = File.ReadLines(Path.Combine(hetRec, "user_friends.dat")).Skip(1)
            .Count(line => line.Split('\t')[0] == "2");
        var user = world.FindUser("hetrec_2")!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(world.Users, Has.Count.EqualTo(1892));
            Assert.That(user.TopArtists, Has.Count.EqualTo(rowsOfUser2));
            Assert.That(user.TopArtists[0].Item.Name, Is.EqualTo("Duran Duran"));
            Assert.That(user.TopArtists[0].Playcount, Is.EqualTo(13883));
            Assert.That(user.Friends, Has.Count.EqualTo(friendsOfUser2));
            Assert.That(user.TopTracks, Is.Empty);
            Assert.That(user.PersonalTags.SelectMany(t => t.Artists), Is.Not.Empty);
            Assert.That(world.Users.SelectMany(u => u.TopTags).Any(t => t.Name.Contains('ä', StringComparison.Ordinal) || t.Name.Contains('á', StringComparison.Ordinal)), Is.True, "tags.dat is Latin-1");
            Assert.That(world.Users.Sum(u => u.TopArtists.Count), Is.EqualTo(92834));
            Assert.That(world.Users.Sum(u => u.TopArtists.Sum(a => a.Playcount)), Is.EqualTo(69183975L));
            Assert.That(world.Users.All(u => u.Name.StartsWith("hetrec_", StringComparison.Ordinal)), Is.True);
            Assert.That(world.FindUser("HETREC_2"), Is.SameAs(user));
            Assert.That(int.Parse(user.Name["hetrec_".Length..], CultureInfo.InvariantCulture), Is.EqualTo(2));
        }
    }
}
