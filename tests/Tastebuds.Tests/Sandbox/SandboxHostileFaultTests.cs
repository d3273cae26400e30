using System.Globalization;
using System.Net;
using System.Text.Json;
using Tastebuds.Sandbox;
using Tastebuds.Sandbox.Faults;
using Tastebuds.Sandbox.Logging;
using Tastebuds.Sandbox.World;

namespace Tastebuds.Tests.Sandbox;

/// Each hostile fault as the raw response shows it, aimed at one user (the target) while another (the bystander)
/// gets honest answers from the same server.
public sealed class SandboxHostileFaultTests
{
    private static readonly SandboxUser[] Listeners = SandboxHttp.World.Value.Users
        .Where(u => !u.IsPrivate && u.TopTracks.Count >= 5 && u.LovedTracks.Count >= 4 && u.Friends.Count > 0
            && u.PersonalTags.Count > 0 && u.RealName is not null)
        .Take(3)
        .ToArray();

    private static SandboxUser Target => Listeners[0];

    private static SandboxUser Bystander => Listeners[1];

    private static string S(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static Task<SandboxServer> StartAsync(params HostileFault[] faults) =>
        SandboxServer.StartAsync(new SandboxOptions { World = SandboxHttp.World.Value, HostileFaults = faults });

    [Test]
    public async Task An_impostor_serves_its_own_data_under_the_victims_name_in_every_method()
    {
        var victim = Listeners[2].Name;
        await using var server = await StartAsync(new HostileFault(HostileFaultKind.Impostor, Target.Name.ToUpperInvariant(), victim));
        using var http = SandboxHttp.Client();
        var tag = Target.PersonalTags[0].Tag;
        (string Method, string Root, string Key, (string, string)[] Extra)[] lists =
        [
            ("user.getTopTracks", "toptracks", "user", []), ("user.getTopAlbums", "topalbums", "user", []),
            ("user.getTopArtists", "topartists", "user", []), ("user.getLovedTracks", "lovedtracks", "user", []),
            ("user.getRecentTracks", "recenttracks", "user", []), ("user.getTopTags", "toptags", "user", []),
            ("user.getFriends", "friends", "for", []), ("user.getPersonalTags", "taggings", "user", [("tag", tag), ("taggingtype", "artist")]),
        ];

        var info = (await http.GetAsync(server, "user.getInfo", Target.Name)).Json.GetProperty("user");
        var tracks = (await http.GetAsync(server, "user.getTopTracks", Target.Name)).Json.GetProperty("toptracks");
        var bystander = (await http.GetAsync(server, "user.getTopTracks", Bystander.Name)).Json.GetProperty("toptracks");
        var bystanderInfo = (await http.GetAsync(server, "user.getInfo", Bystander.Name)).Json.GetProperty("user");
        var owners = new List<string>();
        foreach (var (method, root, key, extra) in lists)
        {
            owners.Add((await http.GetAsync(server, method, Target.Name, extra: extra)).Json.GetProperty(root).GetProperty("@attr").Str(key));
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(info.Str("name"), Is.EqualTo(victim));
            Assert.That((info.Str("realname"), info.GetProperty("playcount").GetInt64()), Is.EqualTo((Target.RealName, Target.Playcount)), "the target's own profile");
            Assert.That(owners, Has.Count.EqualTo(lists.Length).And.All.EqualTo(victim), "@attr.user (getFriends: @attr.for) of every list method");

            Assert.That(tracks.Items("track")[0].Str("name"), Is.EqualTo(Target.TopTracks[0].Item.Name), "the target's own items");
            Assert.That(bystander.GetProperty("@attr").Str("user"), Is.EqualTo(Bystander.Name));
            Assert.That(bystanderInfo.Str("name"), Is.EqualTo(Bystander.Name));
            Assert.That(server.RequestLog.Snapshot().Where(r => r.User == Target.Name).Select(r => r.Outcome), Is.All.EqualTo(SandboxOutcome.Hostile));
        }
    }

    [Test]
    public async Task Repeating_pages_serve_page_one_under_every_page_number_and_claim_a_thousand_pages()
    {
        await using var server = await StartAsync(new HostileFault(HostileFaultKind.RepeatingPages, Target.Name));
        using var http = SandboxHttp.Client();
        async Task<JsonElement> PageAsync(SandboxUser user, int page) => (await http.GetAsync(
            server, "user.getTopTracks", user.Name, extra: [("limit", "2"), ("page", S(page))])).Json.GetProperty("toptracks");
        string[] Names(JsonElement list) => [.. list.Items("track").Select(t => t.Str("name") + "#" + t.GetProperty("@attr").Str("rank"))];

        var first = await PageAsync(Target, 1);
        var second = await PageAsync(Target, 2);
        var far = await PageAsync(Target, 777);
        var honest = await PageAsync(Bystander, 2);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Names(first), Is.EqualTo(new[] { Target.TopTracks[0].Item.Name + "#1", Target.TopTracks[1].Item.Name + "#2" }));
            Assert.That(Names(second), Is.EqualTo(Names(first)));
            Assert.That(Names(far), Is.EqualTo(Names(first)));
            foreach (var (list, page) in new[] { (first, "1"), (second, "2"), (far, "777") })
            {
                var attr = list.GetProperty("@attr");
                Assert.That((attr.Str("page"), attr.Str("perPage"), attr.Str("totalPages"), attr.Str("total")), Is.EqualTo((page, "2", "1000", "2000")));
            }

            Assert.That(Names(honest)[0], Is.EqualTo(Bystander.TopTracks[2].Item.Name + "#3"));
            Assert.That(honest.GetProperty("@attr").Str("total"), Is.EqualTo(S(Bystander.TopTracks.Count)));
        }
    }

    [Test]
    public async Task Absurd_numbers_cycle_huge_negative_wordy_and_overflowing_playcounts_and_the_profile_claims_1e30()
    {
        await using var server = await StartAsync(new HostileFault(HostileFaultKind.AbsurdNumbers, Target.Name));
        using var http = SandboxHttp.Client();

        var tracks = await http.GetAsync(server, "user.getTopTracks", Target.Name, extra: ("limit", "5"));
        var info = await http.GetAsync(server, "user.getInfo", Target.Name);
        var honest = await http.GetAsync(server, "user.getTopTracks", Bystander.Name, extra: ("limit", "5"));
        var root = tracks.Json.GetProperty("toptracks");
        var playcounts = root.Items("track").Select(t => t.GetProperty("playcount").GetRawText()).ToArray();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(tracks.Body, Does.Contain("\"playcount\":1e30,"), "a JSON number, written as 1e30");
            Assert.That(playcounts, Is.EqualTo(new[] { "1e30", "\"-5\"", "\"lots\"", "\"99999999999999999999\"", $"\"{S(Target.TopTracks[4].Playcount)}\"" }));
            Assert.That(root.GetProperty("@attr").Str("total"), Is.EqualTo(S(Target.TopTracks.Count)), "paging stays true");
            Assert.That(info.Body, Does.Contain("\"playcount\":1e30,"));
            Assert.That(info.Json.GetProperty("user").GetProperty("playcount").ValueKind, Is.EqualTo(JsonValueKind.Number));
            Assert.That(honest.Json.GetProperty("toptracks").Items("track").Select(t => t.Str("playcount")),
                Is.EqualTo(Bystander.TopTracks.Take(5).Select(p => S(p.Playcount))));
        }
    }

    [Test]
    public async Task Dirty_text_writes_a_lone_surrogate_and_a_nul_into_names_as_raw_escapes()
    {
        await using var server = await StartAsync(new HostileFault(HostileFaultKind.DirtyText, Target.Name));
        using var http = SandboxHttp.Client();

        var tracks = await http.GetAsync(server, "user.getTopTracks", Target.Name, extra: ("limit", "2"));
        var info = await http.GetAsync(server, "user.getInfo", Target.Name);
        var honest = await http.GetAsync(server, "user.getTopTracks", Bystander.Name, extra: ("limit", "2"));
        var track = tracks.Json.GetProperty("toptracks").Items("track")[0];
        var name = track.GetProperty("name").GetRawText();
        var artist = track.GetProperty("artist").GetProperty("name").GetString()!;
        var realname = info.Json.GetProperty("user").GetProperty("realname").GetRawText();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(tracks.Body, Does.Contain(@"\ud800").And.Contain(@"\u0000"), "escapes in the raw text: a lone surrogate has no UTF-8 form");
            Assert.That(name, Does.Contain(@"\ud800"));
            Assert.That(JsonSerializer.Deserialize<string>(name.Replace(@"\ud800", "", StringComparison.Ordinal)), Is.EqualTo(Target.TopTracks[0].Item.Name));
            Assert.That(artist, Does.Contain('\0'));
            Assert.That(artist.Replace("\0", "", StringComparison.Ordinal), Is.EqualTo(Target.TopTracks[0].Item.Artist.Name));
            Assert.That(realname, Does.Contain(@"\ud800"));
            Assert.That(JsonSerializer.Deserialize<string>(realname.Replace(@"\ud800", "", StringComparison.Ordinal)), Is.EqualTo(Target.RealName));
            Assert.That(honest.Body, Does.Not.Contain(@"\ud800").And.Not.Contain(@"\u0000"));
            Assert.That(honest.Json.GetProperty("toptracks").Items("track")[0].Str("name"), Is.EqualTo(Bystander.TopTracks[0].Item.Name));
        }
    }

    [Test]
    public async Task Absurd_timestamps_give_a_far_future_registration_and_cycle_love_and_scrobble_times()
    {
        await using var server = await StartAsync(new HostileFault(HostileFaultKind.AbsurdTimestamps, Target.Name));
        using var http = SandboxHttp.Client();
        string[] Times(SandboxReply reply, string root) => [.. reply.Json.GetProperty(root).Items("track").Select(t => t.GetProperty("date").Str("uts"))];

        var info = await http.GetAsync(server, "user.getInfo", Target.Name);
        var loved = await http.GetAsync(server, "user.getLovedTracks", Target.Name, extra: ("limit", "4"));
        var recent = await http.GetAsync(server, "user.getRecentTracks", Target.Name, extra: ("limit", "4"));
        var honestInfo = await http.GetAsync(server, "user.getInfo", Bystander.Name);
        var honestRecent = await http.GetAsync(server, "user.getRecentTracks", Bystander.Name, extra: ("limit", "4"));
        string[] absurd = ["99999999999999", "-1", "abc", "0"];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(info.Body, Does.Contain("\"registered\":{\"unixtime\":\"99999999999999\",\"#text\":99999999999999}"));
            Assert.That(Times(loved, "lovedtracks"), Is.EqualTo(absurd));
            Assert.That(Times(recent, "recenttracks"), Is.EqualTo(absurd));
            Assert.That(honestInfo.Json.GetProperty("user").GetProperty("registered").GetProperty("unixtime").GetInt64(),
                Is.EqualTo(Bystander.Registered.ToUnixTimeSeconds()));
            Assert.That(Times(honestRecent, "recenttracks"), Is.EqualTo(Bystander.LovedTracks.Take(4).Select(l => S(l.LovedAt.ToUnixTimeSeconds()))));
            Assert.That(honestRecent.Json.GetProperty("recenttracks").Items("track")[0].GetProperty("artist").Str("#text"),
                Is.EqualTo(Bystander.LovedTracks[0].Track.Artist.Name));
        }
    }

    [Test]
    public async Task A_redirect_off_host_points_to_localhost_with_the_same_query_and_the_log_shows_who_followed_it()
    {
        await using var server = await StartAsync(new HostileFault(HostileFaultKind.RedirectOffHost, Target.Name));
        using var manual = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(10) };
        using var following = SandboxHttp.Client();
        var url = SandboxHttp.Url(server, "user.getInfo", Target.Name, apiKey: "key-that-should-stay-home");

        using var redirect = await manual.GetAsync(url);
        using var honest = await manual.GetAsync(SandboxHttp.Url(server, "user.getInfo", Bystander.Name));
        var location = redirect.Headers.Location!;
        server.RequestLog.Clear();
        var followed = await following.GetAsync(server, "user.getInfo", Target.Name, apiKey: "key-that-should-stay-home");
        var log = server.RequestLog.Snapshot();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(redirect.StatusCode, Is.EqualTo(HttpStatusCode.Found));
            Assert.That((location.Scheme, location.Host, location.Port), Is.EqualTo(("http", "localhost", url.Port)));
            Assert.That(location.PathAndQuery, Is.EqualTo(url.PathAndQuery), "same path and query, api_key included");
            Assert.That(honest.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(followed.Json.GetProperty("user").Str("name"), Is.EqualTo(Target.Name), "answered normally on localhost: no second redirect");
            Assert.That(log.Select(r => (r.Host, r.Status)), Is.EqualTo(new[] { ($"127.0.0.1:{url.Port}", 302), ($"localhost:{url.Port}", 200) }));
            Assert.That(log[0].Hostile, Is.EqualTo(new[] { HostileFaultKind.RedirectOffHost }));
            Assert.That((log[1].ApiKeyHash, log[1].Hostile), Is.EqualTo((log[0].ApiKeyHash, Array.Empty<HostileFaultKind>())), "the key went along");
            Assert.That(log[1].ApiKeyHash, Is.Not.Empty);
        }
    }

    [Test]
    public async Task An_echoing_error_repeats_the_whole_request_api_key_included_on_every_attempt()
    {
        await using var server = await StartAsync(new HostileFault(HostileFaultKind.EchoingErrors, Target.Name));
        using var http = SandboxHttp.Client();
        var url = SandboxHttp.Url(server, "user.getTopTracks", Target.Name, apiKey: "s3cret-key", extra: ("limit", "3"));

        var replies = new List<SandboxReply>();
        for (var attempt = 0; attempt < 4; attempt++)
        {
            replies.Add(await http.GetAsync(server, "user.getTopTracks", Target.Name, apiKey: "s3cret-key", extra: ("limit", "3")));
        }

        var honest = await http.GetAsync(server, "user.getTopTracks", Bystander.Name);

        using (Assert.EnterMultipleScope())
        {
            foreach (var reply in replies)
            {
                Assert.That((reply.Status, reply.ErrorCode), Is.EqualTo((HttpStatusCode.InternalServerError, 8)));
                Assert.That(reply.Json.Str("message"), Is.EqualTo("Operation failed - request was GET " + url.PathAndQuery));
                Assert.That(reply.Body, Does.Contain(@"GET \/2.0\/?method=user.getTopTracks&api_key=s3cret-key&"), "raw, with Last.fm's escaped slashes");
            }

            Assert.That(honest.Status, Is.EqualTo(HttpStatusCode.OK));
        }
    }

    [Test]
    public async Task Hostile_faults_combine_with_transient_ones_and_never_heal()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions
        {
            World = SandboxHttp.World.Value,
            FaultRates = new Dictionary<SandboxFaultKind, double> { [SandboxFaultKind.Error11] = 0.5 },
            HostileFaults = [new HostileFault(HostileFaultKind.EchoingErrors)],
        });
        using var http = SandboxHttp.Client();

        var codes = new List<int?>();
        for (var attempt = 0; attempt < 12; attempt++)
        {
            codes.Add((await http.GetAsync(server, "user.getInfo", Target.Name)).ErrorCode);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(codes, Is.All.EqualTo(11).Or.EqualTo(8), "no attempt succeeds");
            Assert.That(codes, Has.Some.EqualTo(11).And.Some.EqualTo(8));
            Assert.That(server.RequestLog.Snapshot().Where(r => r.ErrorCode == 11).Select(r => r.Outcome), Is.All.EqualTo(SandboxOutcome.Fault));
        }
    }
}
