using System.Diagnostics;
using Tastebuds.Tests.Support;
using Tastebuds.Worker.Lastfm;

namespace Tastebuds.Tests.Lastfm;

/// <summary>Every recorded response in Fixtures/lastfm-api-samples, parsed by the production code, values checked.</summary>
public sealed class LastfmContractTests
{
    private static readonly string[] Covered =
    [
        "error.17.login-required.http403.json", "error.29.rate-limit-exceeded.json", "error.3.invalid-method.http400.json",
        "error.6.invalid-parameters.json", "error.6.track-not-found.json", "legacy.error.6.no-user.json",
        "legacy.user.getRecentTracks.single-object.json", "legacy.user.getTopArtists.empty.json", "user.getFriends.json",
        "user.getInfo.json", "user.getLovedTracks.json", "user.getPersonalTags.album.empty.json", "user.getPersonalTags.artist.json",
        "user.getPersonalTags.track.json", "user.getRecentTracks.json", "user.getTopAlbums.json",
        "user.getTopArtists.json", "user.getTopTags.empty.json", "user.getTopTags.json", "user.getTopTracks.json",
        "user.getTopTracks.with-mbid.json",
    ];

    private static T Parse<T>(string name, Func<System.Text.Json.JsonElement, T> map)
    {
        var body = Fixtures.ApiSample(name);
        var inspection = LastfmBodyInspector.Inspect(body);
        Assert.That(inspection, Is.EqualTo(new LastfmBodyInspection(true, null, null, null)), name + " is a clean success body");
        return LastfmParser.Parse(body, map);
    }

    [Test]
    public void Every_sample_file_has_a_contract_test()
    {
        var files = Directory.GetFiles(Fixtures.ApiSamples, "*.json").Select(Path.GetFileName);
        Assert.That(files, Is.EquivalentTo(Covered));
    }

    [Test]
    public void User_info_reads_number_playcount_and_registered_object()
    {
        var user = Parse("user.getInfo.json", LastfmParser.UserInfo);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(user.Name, Is.EqualTo("RJ"));
            Assert.That(user.RealName, Is.EqualTo("Richard Jones"), "trailing space trimmed");
            Assert.That(user.Country, Is.EqualTo("United Kingdom"));
            Assert.That(user.Playcount, Is.EqualTo(128549));
            Assert.That(user.Registered, Is.EqualTo(new DateTimeOffset(2002, 11, 20, 11, 50, 40, TimeSpan.Zero)));
            Assert.That(user.Url, Is.EqualTo("https://www.last.fm/user/RJ"));
            Assert.That(user.ImageUrl, Is.EqualTo("https://lastfm-img2.akamaized.net/i/u/300x300/b26d6fd11de240a1c045dfb5c5d9fe65.png"));
        }
    }

    [Test]
    public void Top_artists_keep_all_48_and_turn_empty_mbids_into_null()
    {
        var page = Parse("user.getTopArtists.json", LastfmParser.TopArtists);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(page.Items, Has.Count.EqualTo(48));
            Assert.That(page.Items.Count(a => a.Mbid is null), Is.EqualTo(23));
            Assert.That(page.Items[0], Is.EqualTo(new TopArtist("Womb Sounds Heartbeat", null, 35, 1,
                "https://www.last.fm/music/Womb+Sounds+Heartbeat")));
            Assert.That(page.Items[1].Mbid, Is.EqualTo("f208f09e-b5b3-4b06-87cd-f7230fae17e3"));
            Assert.That(page.Items[^1], Is.EqualTo(page.Items[^1] with { Name = "Free Nationals", Playcount = 1, Rank = 48 }));
            Assert.That(page.Items.Select(a => a.Rank), Is.EqualTo(Enumerable.Range(1, 48)));
            Assert.That((page.TotalPages, page.Total), Is.EqualTo((1, 48)));
        }
    }

    [Test]
    public void Top_albums_read_artist_objects_and_paging()
    {
        var page = Parse("user.getTopAlbums.json", LastfmParser.TopAlbums);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(page.Items, Has.Count.EqualTo(50));
            Assert.That(page.Items.Count(a => a.Mbid is null), Is.EqualTo(45));
            Assert.That(page.Items[2], Is.EqualTo(new TopAlbum("÷ (Deluxe)", "Ed Sheeran", null,
                "b8a7c51f-362c-4dcb-a259-bc6e0095f0a6", 3, 3, "https://www.last.fm/music/Ed+Sheeran/%C3%B7+(Deluxe)")));
            Assert.That((page.TotalPages, page.Total), Is.EqualTo((2, 52)));
        }
    }

    [Test]
    public void Top_tracks_read_streamable_objects_and_empty_mbids()
    {
        var page = Parse("user.getTopTracks.json", LastfmParser.TopTracks);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(page.Items, Is.EqualTo(new[]
            {
                new TopTrack("Einschlafhilfe Baby Sleepy - 60 Minuten", "Womb Sounds Heartbeat", null, null, 35, 1,
                    "https://www.last.fm/music/Womb+Sounds+Heartbeat/_/Einschlafhilfe+Baby+Sleepy+-+60+Minuten"),
            }));
            Assert.That((page.TotalPages, page.Total), Is.EqualTo((64, 64)));
        }
    }

    [Test]
    public void Top_tracks_with_mbids_keep_both_mbids()
    {
        var track = Parse("user.getTopTracks.with-mbid.json", LastfmParser.TopTracks).Items.Single();
        Assert.That(track, Is.EqualTo(new TopTrack("Stargazers", "Nightwish", "0d071af1-c438-4db6-a7e6-2496ecdbc9da",
            "00a9f935-ba93-4fc8-a33a-993abe9c936b", 9, 1, "https://www.last.fm/music/Nightwish/_/Stargazers")));
    }

    [Test]
    public void Loved_tracks_read_dates_and_artists()
    {
        var page = Parse("user.getLovedTracks.json", LastfmParser.LovedTracks);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(page.Items, Has.Count.EqualTo(50));
            Assert.That(page.Items[0], Is.EqualTo(new LovedTrack("Fire", "The Black Seeds", "8f1f5058-7106-452f-bbed-77044d117ecf",
                "dc76f538-7a10-461e-84ba-aa44888f9f2d", DateTimeOffset.FromUnixTimeSeconds(1459767227),
                "https://www.last.fm/music/The+Black+Seeds/_/Fire")));
            Assert.That(page.Items[^1].Name, Is.EqualTo("I Got The... - 2006 Digital Remaster"));
            Assert.That(page.Items[^1].Artist, Is.EqualTo("Labi Siffre"));
            Assert.That(page.Items[^1].LovedAt, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1400249068)));
            Assert.That(page.Items.Count(t => t.Mbid is null), Is.EqualTo(16));
            Assert.That((page.TotalPages, page.Total), Is.EqualTo((14, 700)));
        }
    }

    [Test]
    public void Top_tags_read_counts_as_numbers()
    {
        var page = Parse("user.getTopTags.json", LastfmParser.TopTags);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(page.Items, Has.Count.EqualTo(50));
            Assert.That(page.Items[0], Is.EqualTo(new TagCount("rock", 20)));
            Assert.That(page.Items[^1], Is.EqualTo(new TagCount("romantic", 1)));
            Assert.That(page.TotalPages, Is.Zero, "toptags has no paging");
        }
    }

    [Test]
    public void Empty_top_tags_give_no_tags()
    {
        Assert.That(Parse("user.getTopTags.empty.json", LastfmParser.TopTags).Items, Is.Empty);
    }

    [Test]
    public void Personal_tags_read_tracks_one_level_deeper_with_their_artists()
    {
        var page = Parse("user.getPersonalTags.track.json", LastfmParser.PersonalTags(TaggingType.Track));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(page.Items.Select(t => t.Artist), Is.EqualTo(new[] { "Steve Winwood", "Van Halen", "White Lion", "Led Zeppelin", "AC/DC" }));
            Assert.That(page.Items[0], Is.EqualTo(new TaggedItem(TaggingType.Track, "Arc Of A Diver", "Steve Winwood",
                "36130875-ed02-4be6-81fd-328001c6ccc4", "https://www.last.fm/music/Steve+Winwood/_/Arc+Of+A+Diver")));
            Assert.That(page.Items[^1].Url, Is.EqualTo("https://www.last.fm/music/AC%2FDC/_/Hells+Bells"));
            Assert.That((page.TotalPages, page.Total, page.User), Is.EqualTo((1, 5, "RJ")));
        }
    }

    [Test]
    public void Personal_tags_read_artists_with_no_artist_of_their_own()
    {
        var page = Parse("user.getPersonalTags.artist.json", LastfmParser.PersonalTags(TaggingType.Artist));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(page.Items, Has.Count.EqualTo(20));
            Assert.That(page.Items[0], Is.EqualTo(new TaggedItem(TaggingType.Artist, "Jack Bruce", null,
                "94a24504-3548-4bde-a89b-273d277d194e", "https://www.last.fm/music/Jack+Bruce")));
            Assert.That(page.Items.Select(a => a.Artist), Is.All.Null);
            Assert.That(page.Items.Single(a => a.Mbid is null).Name, Is.EqualTo("Big Wolf Pappa"));
            Assert.That((page.TotalPages, page.Total), Is.EqualTo((1, 20)));
        }
    }

    [Test]
    public void Empty_personal_album_tags_give_no_items_and_no_pages()
    {
        var page = Parse("user.getPersonalTags.album.empty.json", LastfmParser.PersonalTags(TaggingType.Album));
        Assert.That((page.Items.Count, page.TotalPages, page.Total, page.User), Is.EqualTo((0, 0, 0, "Zaratoustre")));
    }

    [Test]
    public void Friends_read_missing_real_names_and_non_ascii_text()
    {
        var page = Parse("user.getFriends.json", LastfmParser.Friends);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(page.Items, Has.Count.EqualTo(50));
            Assert.That(page.Items.Count(f => f.RealName is null), Is.EqualTo(9));
            Assert.That(page.Items[0], Is.EqualTo(new LastfmUserProfile("Babs_05",
                "★♥★ Badass Mod from the Future - Last Seen Tomorrow Afternoon★♥★", null, 316299,
                DateTimeOffset.FromUnixTimeSeconds(1131903141), "https://www.last.fm/user/Babs_05",
                "https://lastfm-img2.akamaized.net/i/u/300x300/53595648e87980477107a93ec5021e71.png")));
            Assert.That(page.Items.Select(f => f.RealName), Does.Contain("Mickaël").And.Contain("Édouard"));
            Assert.That((page.TotalPages, page.Total), Is.EqualTo((2, 89)));
        }
    }

    [Test]
    public void Recent_tracks_read_text_artists_and_albums()
    {
        var page = Parse("user.getRecentTracks.json", LastfmParser.RecentTracks);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(page.Items, Has.Count.EqualTo(50));
            Assert.That(page.Items[0], Is.EqualTo(new RecentTrack("Perfect", "Ed Sheeran", "÷ (Deluxe)", null,
                "b8a7c51f-362c-4dcb-a259-bc6e0095f0a6", DateTimeOffset.FromUnixTimeSeconds(1541779771), false)));
            Assert.That((page.TotalPages, page.Total), Is.EqualTo((2571, 128549)));
        }
    }

    [Test]
    public void Legacy_single_object_is_one_item()
    {
        var page = Parse("legacy.user.getRecentTracks.single-object.json", LastfmParser.RecentTracks);
        Assert.That(page.Items, Is.EqualTo(new[]
        {
            new RecentTrack("Super Freak (Part 1) - 1981 Single Version", "Rick James", "The Definitive Collection", null,
                "cba9cec2-be8d-41bd-91b4-a1cd7de39b0c", DateTimeOffset.FromUnixTimeSeconds(1419070612), false),
        }));
    }

    [Test]
    public void Legacy_empty_shape_with_bom_is_zero_items_and_zero_pages()
    {
        Assert.That(Fixtures.ApiSample("legacy.user.getTopArtists.empty.json")[..3], Is.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }), "the sample keeps its BOM");
        var page = Parse("legacy.user.getTopArtists.empty.json", LastfmParser.TopArtists);
        Assert.That((page.Items.Count, page.TotalPages, page.Total), Is.EqualTo((0, 0, 0)));
    }

    [TestCase("error.17.login-required.http403.json", LastfmErrorCode.LoginRequired, "Login: User required to be logged in")]
    [TestCase("error.29.rate-limit-exceeded.json", LastfmErrorCode.RateLimitExceeded,
        "Rate Limit Exceeded - This application has made too many requests in a short period. If this is your API key, see https://www.last.fm/api/tos#4.4 for information about raising the limit.")]
    [TestCase("error.3.invalid-method.http400.json", LastfmErrorCode.InvalidMethod, "Invalid Method - No method with that name in this package")]
    [TestCase("error.6.invalid-parameters.json", LastfmErrorCode.InvalidParameters, "page param out of bounds (1-1000000)")]
    [TestCase("error.6.track-not-found.json", LastfmErrorCode.InvalidParameters, "Track not found")]
    [TestCase("legacy.error.6.no-user.json", LastfmErrorCode.InvalidParameters, "No user with that name")]
    public void Error_bodies_give_code_and_message_in_any_key_order(string file, LastfmErrorCode code, string message)
    {
        Assert.That(LastfmBodyInspector.Inspect(Fixtures.ApiSample(file)), Is.EqualTo(new LastfmBodyInspection(true, code, message, null)));
    }

    [Test]
    public void Cut_off_bodies_are_not_well_formed()
    {
        var body = Fixtures.ApiSample("user.getLovedTracks.json");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(LastfmBodyInspector.Inspect(body.AsSpan(0, body.Length / 2)).WellFormed, Is.False);
            Assert.That(LastfmBodyInspector.Inspect(body.AsSpan(0, body.Length - 1)).WellFormed, Is.False);
            Assert.That(LastfmBodyInspector.Inspect("{\"a\":1}}"u8).WellFormed, Is.False, "trailing garbage");
            Assert.That(LastfmBodyInspector.Inspect("<html>"u8).WellFormed, Is.False);
            Assert.That(LastfmBodyInspector.Inspect(""u8).WellFormed, Is.False);
        }
    }

    [Test]
    public void Parsing_the_40_KB_loved_tracks_sample_is_fast()
    {
        var body = Fixtures.ApiSample("user.getLovedTracks.json");
        for (var i = 0; i < 50; i++)
        {
            LastfmBodyInspector.Inspect(body);
            LastfmParser.Parse(body, LastfmParser.LovedTracks);
        }

        const int Rounds = 500;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Rounds; i++)
        {
            LastfmBodyInspector.Inspect(body);
        }

        var inspect = clock.Elapsed / Rounds;
        clock.Restart();
        for (var i = 0; i < Rounds; i++)
        {
            LastfmParser.Parse(body, LastfmParser.LovedTracks);
        }

        var parse = clock.Elapsed / Rounds;
        TestContext.Out.WriteLine($"{body.Length} bytes: inspect {inspect.TotalMicroseconds:F0} µs, parse+map {parse.TotalMicroseconds:F0} µs");
        Assert.That(inspect + parse, Is.LessThan(TimeSpan.FromMilliseconds(10)), "generous: the 2 shared cores run at load 10+; catches a regression of an order of magnitude");
    }
}
