using System.Globalization;
using System.Net;
using System.Text.Json;
using Tastebuds.Sandbox;
using Tastebuds.Sandbox.World;

namespace Tastebuds.Tests.Sandbox;

public sealed class SandboxShapeTests
{
    private SandboxServer _server = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await SandboxServer.StartAsync(new SandboxOptions { World = SandboxHttp.World.Value });
        _http = SandboxHttp.Client();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private SandboxUser Listener => _server.World.Users.Where(u => !u.IsPrivate).MaxBy(u => u.TopTracks.Count + u.LovedTracks.Count)!;

    [Test]
    public async Task Top_tracks_have_string_numbers_paging_attributes_images_and_a_streamable_object()
    {
        var user = Listener;
        var reply = await _http.GetAsync(_server, "user.getTopTracks", user.Name.ToUpperInvariant(), extra: ("limit", "5"));
        var root = reply.Json.GetProperty("toptracks");
        var tracks = root.Items("track");
        var attr = root.GetProperty("@attr");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(attr.Str("user"), Is.EqualTo(user.Name), "canonical name even when asked in another case");
            Assert.That(attr.Str("page"), Is.EqualTo("1"));
            Assert.That(attr.Str("perPage"), Is.EqualTo("5"));
            Assert.That(attr.Str("total"), Is.EqualTo(user.TopTracks.Count.ToString(CultureInfo.InvariantCulture)));
            Assert.That(attr.Str("totalPages"), Is.EqualTo(((user.TopTracks.Count + 4) / 5).ToString(CultureInfo.InvariantCulture)));
            Assert.That(tracks, Has.Length.EqualTo(5));
            for (var i = 0; i < tracks.Length; i++)
            {
                var expected = user.TopTracks[i];
                var track = tracks[i];
                Assert.That(track.Str("name"), Is.EqualTo(expected.Item.Name));
                Assert.That(track.GetProperty("playcount").ValueKind, Is.EqualTo(JsonValueKind.String));
                Assert.That(track.Str("playcount"), Is.EqualTo(expected.Playcount.ToString(CultureInfo.InvariantCulture)));
                Assert.That(track.Str("duration"), Is.EqualTo(expected.Item.DurationSeconds.ToString(CultureInfo.InvariantCulture)));
                Assert.That(track.Str("mbid"), Is.EqualTo(expected.Item.Mbid));
                Assert.That(track.GetProperty("artist").Str("name"), Is.EqualTo(expected.Item.Artist.Name));
                Assert.That(track.GetProperty("streamable").Str("fulltrack"), Is.EqualTo("0"));
                Assert.That(track.GetProperty("@attr").Str("rank"), Is.EqualTo((i + 1).ToString(CultureInfo.InvariantCulture)));
                Assert.That(track.Items("image").Select(im => im.Str("size")), Is.EqualTo(new[] { "small", "medium", "large", "extralarge" }));
                Assert.That(track.Items("image").All(im => im.GetProperty("#text").ValueKind == JsonValueKind.String), Is.True);
            }
        }
    }

    [Test]
    public async Task Top_albums_and_artists_match_the_world_and_artists_carry_streamable_as_a_string()
    {
        var user = Listener;
        var albums = (await _http.GetAsync(_server, "user.getTopAlbums", user.Name, extra: ("limit", "1000"))).Json.GetProperty("topalbums").Items("album");
        var artists = (await _http.GetAsync(_server, "user.getTopArtists", user.Name, extra: ("limit", "1000"))).Json.GetProperty("topartists").Items("artist");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(albums.Select(a => (a.Str("name"), a.GetProperty("artist").Str("name"), a.Str("playcount"))),
                Is.EqualTo(user.TopAlbums.Select(a => (a.Item.Name, a.Item.Artist.Name, a.Playcount.ToString(CultureInfo.InvariantCulture)))));
            Assert.That(artists.Select(a => (a.Str("name"), a.Str("mbid"), a.Str("playcount"))),
                Is.EqualTo(user.TopArtists.Select(a => (a.Item.Name, a.Item.Mbid, a.Playcount.ToString(CultureInfo.InvariantCulture)))));
            Assert.That(artists.Select(a => a.Str("streamable")), Is.All.EqualTo("0"));
            Assert.That(artists[0].Items("image"), Has.Length.EqualTo(5), "artists have a mega image");
        }
    }

    [Test]
    public async Task User_info_has_numeric_playcount_and_registered_and_escaped_slashes()
    {
        var user = Listener;
        var reply = await _http.GetAsync(_server, "user.getInfo", user.Name);
        var info = reply.Json.GetProperty("user");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(info.GetProperty("playcount").GetInt64(), Is.EqualTo(user.Playcount));
            Assert.That(info.GetProperty("registered").GetProperty("unixtime").GetInt64(), Is.EqualTo(user.Registered.ToUnixTimeSeconds()));
            Assert.That(info.GetProperty("registered").GetProperty("#text").GetInt64(), Is.EqualTo(user.Registered.ToUnixTimeSeconds()));
            Assert.That(info.Str("url"), Is.EqualTo(user.Url));
            Assert.That(reply.Body, Does.Contain("https:\\/\\/www.last.fm\\/user\\/"));
        }
    }

    [Test]
    public async Task Loved_tracks_have_dates_and_artist_objects()
    {
        var user = Listener;
        var loved = (await _http.GetAsync(_server, "user.getLovedTracks", user.Name, extra: ("limit", "1000"))).Json.GetProperty("lovedtracks").Items("track");
        Assert.That(loved, Has.Length.EqualTo(user.LovedTracks.Count));
        using (Assert.EnterMultipleScope())
        {
            for (var i = 0; i < loved.Length; i++)
            {
                var expected = user.LovedTracks[i];
                Assert.That(loved[i].Str("name"), Is.EqualTo(expected.Track.Name));
                Assert.That(loved[i].GetProperty("date").Str("uts"), Is.EqualTo(expected.LovedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
                Assert.That(loved[i].GetProperty("date").Str("#text"), Does.Match(@"^\d\d [A-Z][a-z]{2} \d{4}, \d\d:\d\d$"));
                Assert.That(loved[i].GetProperty("artist").Str("url"), Is.EqualTo(expected.Track.Artist.Url));
                Assert.That(loved[i].GetProperty("streamable").ValueKind, Is.EqualTo(JsonValueKind.Object));
            }
        }
    }

    [Test]
    public async Task Top_tags_carry_only_the_user_and_personal_tags_nest_the_items()
    {
        var user = _server.World.Users.First(u => !u.IsPrivate && u.PersonalTags.Any(t => t.Tracks.Count > 0));
        var tag = user.PersonalTags.First(t => t.Tracks.Count > 0);
        var top = (await _http.GetAsync(_server, "user.getTopTags", user.Name)).Json.GetProperty("toptags");
        var tagged = (await _http.GetAsync(_server, "user.getPersonalTags", user.Name, extra: [("tag", tag.Tag), ("taggingtype", "track"), ("limit", "1000")])).Json.GetProperty("taggings");
        var tracks = tagged.GetProperty("tracks").Items("track");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(top.GetProperty("@attr").EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "user" }));
            Assert.That(top.Items("tag").Select(t => (t.Str("name"), t.Str("count"))),
                Is.EqualTo(user.TopTags.Select(t => (t.Name, t.Count.ToString(CultureInfo.InvariantCulture)))));
            Assert.That(tracks.Select(t => (t.Str("name"), t.GetProperty("artist").Str("name"))), Is.EqualTo(tag.Tracks.Select(t => (t.Name, t.Artist.Name))));
            Assert.That(tagged.GetProperty("@attr").Str("tag"), Is.EqualTo(tag.Tag));
            Assert.That(tagged.GetProperty("@attr").Str("total"), Is.EqualTo(tag.Tracks.Count.ToString(CultureInfo.InvariantCulture)));
        }
    }

    [Test]
    public async Task Friends_use_the_for_attribute_and_omit_missing_real_names()
    {
        var user = _server.World.Users.Where(u => !u.IsPrivate).MaxBy(u => u.Friends.Count)!;
        var friends = (await _http.GetAsync(_server, "user.getFriends", user.Name, extra: ("limit", "1000"))).Json.GetProperty("friends");
        var items = friends.Items("user");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(friends.GetProperty("@attr").Str("for"), Is.EqualTo(user.Name));
            Assert.That(items.Select(f => f.Str("name")), Is.EqualTo(user.Friends));
            foreach (var item in items)
            {
                var friend = _server.World.FindUser(item.Str("name"))!;
                Assert.That(item.TryGetProperty("realname", out _), Is.EqualTo(friend.RealName is not null));
                Assert.That(item.GetProperty("registered").Str("unixtime"), Is.EqualTo(friend.Registered.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
            }
        }
    }

    [Test]
    public async Task Empty_results_are_empty_arrays_and_attr_placement_varies()
    {
        var empty = _server.World.Users.First(u => !u.IsPrivate && u.LovedTracks.Count == 0);
        var reply = await _http.GetAsync(_server, "user.getLovedTracks", empty.Name);
        Assert.That(reply.Json.GetProperty("lovedtracks").GetProperty("track").GetArrayLength(), Is.Zero);

        var placements = new HashSet<bool>();
        foreach (var user in _server.World.Users.Where(u => !u.IsPrivate).Take(20))
        {
            var body = (await _http.GetAsync(_server, "user.getTopArtists", user.Name)).Body;
            placements.Add(body.IndexOf("\"@attr\":{\"user\"", StringComparison.Ordinal) < body.IndexOf("\"artist\":", StringComparison.Ordinal));
        }

        Assert.That(placements, Has.Count.EqualTo(2), "@attr appears both before and after the list");
    }
}
