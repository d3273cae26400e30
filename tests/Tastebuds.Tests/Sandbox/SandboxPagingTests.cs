using System.Globalization;
using Tastebuds.Sandbox;

namespace Tastebuds.Tests.Sandbox;

public sealed class SandboxPagingTests
{
    [Test]
    public async Task Paging_covers_every_item_exactly_once_and_honours_the_limit()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { World = SandboxHttp.World.Value });
        using var http = SandboxHttp.Client();
        var user = server.World.Users.Where(u => !u.IsPrivate).MaxBy(u => u.TopTracks.Count)!;
        const int limit = 13;

        var seen = new List<(string Artist, string Name, string Plays, string Rank)>();
        var totalPages = int.MaxValue;
        for (var page = 1; page <= totalPages; page++)
        {
            var root = (await http.GetAsync(server, "user.getTopTracks", user.Name, extra: [("limit", "13"), ("page", page.ToString(CultureInfo.InvariantCulture))])).Json.GetProperty("toptracks");
            totalPages = int.Parse(root.GetProperty("@attr").Str("totalPages"), CultureInfo.InvariantCulture);
            var items = root.Items("track");
            Assert.That(items, Has.Length.LessThanOrEqualTo(limit));
            if (page < totalPages)
            {
                Assert.That(items, Has.Length.EqualTo(limit));
            }

            seen.AddRange(items.Select(t => (t.GetProperty("artist").Str("name"), t.Str("name"), t.Str("playcount"), t.GetProperty("@attr").Str("rank"))));
        }

        var beyond = (await http.GetAsync(server, "user.getTopTracks", user.Name, extra: [("limit", "13"), ("page", (totalPages + 1).ToString(CultureInfo.InvariantCulture))])).Json;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(seen.Select(s => (s.Artist, s.Name, s.Plays)), Is.EqualTo(user.TopTracks.Select(t => (t.Item.Artist.Name, t.Item.Name, t.Playcount.ToString(CultureInfo.InvariantCulture)))));
            Assert.That(seen.Select(s => s.Rank), Is.EqualTo(Enumerable.Range(1, seen.Count).Select(i => i.ToString(CultureInfo.InvariantCulture))));
            Assert.That(beyond.GetProperty("toptracks").GetProperty("track").GetArrayLength(), Is.Zero);
        }
    }

    [Test]
    public async Task Limit_defaults_to_50_and_is_capped_at_1000()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { World = SandboxHttp.World.Value });
        using var http = SandboxHttp.Client();
        var user = server.World.Users.Where(u => !u.IsPrivate).MaxBy(u => u.TopTracks.Count)!;

        var byDefault = (await http.GetAsync(server, "user.getTopTracks", user.Name)).Json.GetProperty("toptracks");
        var huge = (await http.GetAsync(server, "user.getTopTracks", user.Name, extra: ("limit", "5000"))).Json.GetProperty("toptracks");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(byDefault.Items("track"), Has.Length.EqualTo(Math.Min(50, user.TopTracks.Count)));
            Assert.That(byDefault.GetProperty("@attr").Str("perPage"), Is.EqualTo("50"));
            Assert.That(huge.GetProperty("@attr").Str("perPage"), Is.EqualTo("1000"));
            Assert.That(huge.Items("track"), Has.Length.EqualTo(user.TopTracks.Count));
        }
    }
}
