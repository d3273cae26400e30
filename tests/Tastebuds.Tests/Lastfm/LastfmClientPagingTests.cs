using Tastebuds.Worker.Lastfm;

namespace Tastebuds.Tests.Lastfm;

public sealed class LastfmClientPagingTests
{
    [Test]
    public async Task Paging_collects_short_pages_until_the_limit_with_a_constant_page_size()
    {
        // Pages claim 50 per page but hold only 2 (deleted items): only counts decide.
        await using var server = await ScriptedLastfmServer.StartAsync(n => Reply.Json(WireBodies.TopArtists((n * 2) - 1, 2, n, 9)));
        await using var host = new LastfmTestHost(server.BaseUrl);

        var artists = await host.Client.GetTopArtistsAsync("RJ", "7day", 5, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(artists.Select(a => a.Name), Is.EqualTo(new[] { "Artist 1", "Artist 2", "Artist 3", "Artist 4", "Artist 5" }));
            Assert.That(server.Requests.Select(r => r.Query("page")), Is.EqualTo(new[] { "1", "2", "3" }));
            Assert.That(server.Requests.Select(r => r.Query("limit")), Is.All.EqualTo("5"));
            Assert.That(server.Requests[0].Query("method"), Is.EqualTo("user.getTopArtists"));
            Assert.That(server.Requests[0].Query("period"), Is.EqualTo("7day"));
            Assert.That(server.Requests[0].Query("user"), Is.EqualTo("RJ"));
        }
    }

    [Test]
    public async Task Paging_stops_at_the_last_page()
    {
        await using var server = await ScriptedLastfmServer.StartAsync(n => Reply.Json(WireBodies.TopArtists((n * 3) - 2, 3, n, 2)));
        await using var host = new LastfmTestHost(server.BaseUrl);

        var artists = await host.Client.GetTopArtistsAsync("RJ", "overall", 100, CancellationToken.None);

        Assert.That((artists.Count, server.Count), Is.EqualTo((6, 2)));
    }

    [Test]
    public async Task Paging_stops_at_an_empty_page_whatever_totalPages_claims()
    {
        await using var server = await ScriptedLastfmServer.StartAsync(
            Reply.Json(WireBodies.TopArtists(1, 3, 1, 50)), Reply.Json(WireBodies.TopArtists(4, 0, 2, 50)));
        await using var host = new LastfmTestHost(server.BaseUrl);

        var artists = await host.Client.GetTopArtistsAsync("RJ", "overall", 100, CancellationToken.None);

        Assert.That((artists.Count, server.Count), Is.EqualTo((3, 2)));
    }

    [Test]
    public async Task Large_limits_are_asked_in_pages_of_1000()
    {
        await using var server = await ScriptedLastfmServer.StartAsync(Reply.Json(WireBodies.TopArtists(1, 3, 1, 1)));
        await using var host = new LastfmTestHost(server.BaseUrl);

        await host.Client.GetTopArtistsAsync("RJ", "overall", 2500, CancellationToken.None);

        Assert.That(server.Requests.Single().Query("limit"), Is.EqualTo("1000"));
    }

    [Test]
    public async Task A_page_larger_than_asked_is_cut_to_the_limit()
    {
        await using var server = await ScriptedLastfmServer.StartAsync(Reply.Json(WireBodies.TopArtists(1, 8, 1, 3)));
        await using var host = new LastfmTestHost(server.BaseUrl);

        var artists = await host.Client.GetTopArtistsAsync("RJ", "overall", 4, CancellationToken.None);

        Assert.That((artists.Count, server.Count), Is.EqualTo((4, 1)));
    }

    [Test]
    public async Task Requests_carry_key_format_and_user_agent_and_a_lone_user_parses()
    {
        // The profile must name the user asked for (compared case-insensitively).
        await using var server = await ScriptedLastfmServer.StartAsync(Reply.Json(WireBodies.UserInfo.Replace("\"RJ\"", "\"r j&X\"", StringComparison.Ordinal)));
        await using var host = new LastfmTestHost(server.BaseUrl);

        var user = await host.Client.GetUserInfoAsync("R J&x", CancellationToken.None);

        var request = server.Requests.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(user.Playcount, Is.EqualTo(128549));
            Assert.That(request.Query("api_key"), Is.EqualTo(LastfmTestHost.Secret));
            Assert.That(request.Query("format"), Is.EqualTo("json"));
            Assert.That(request.Query("user"), Is.EqualTo("R J&x"), "values are escaped");
            Assert.That(request.UserAgent, Is.EqualTo("Tastebuds/1.0 (+https://github.com/tastebuds)"));
        }
    }

    [Test]
    public async Task An_unknown_period_is_refused_before_any_request()
    {
        await using var server = await ScriptedLastfmServer.StartAsync(Reply.Json(WireBodies.UserInfo));
        await using var host = new LastfmTestHost(server.BaseUrl);

        Assert.ThrowsAsync<ArgumentException>(() => host.Client.GetTopTracksAsync("RJ", "weekly", 10, CancellationToken.None));
        Assert.That(server.Count, Is.Zero);
    }

    [Test]
    public async Task Personal_tags_read_the_nested_taggings_shape_and_send_the_tagging_type()
    {
        // Shape as documented for user.getPersonalTags (no recorded sample exists in shared/data).
        const string Body = """{"taggings":{"tracks":{"track":{"name":"Fire","mbid":"","url":"u","artist":{"name":"The Black Seeds","mbid":"","url":"a"}}},"@attr":{"user":"RJ","tag":"funk","page":"1","perPage":"50","totalPages":"1","total":"1"}}}""";
        await using var server = await ScriptedLastfmServer.StartAsync(Reply.Json(Body));
        await using var host = new LastfmTestHost(server.BaseUrl);

        var items = await host.Client.GetPersonalTagsAsync("RJ", "funk", TaggingType.Track, 50, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(items, Is.EqualTo(new[] { new TaggedItem(TaggingType.Track, "Fire", "The Black Seeds", null, "u") }));
            Assert.That(server.Requests.Single().Query("taggingtype"), Is.EqualTo("track"));
            Assert.That(server.Requests.Single().Query("tag"), Is.EqualTo("funk"));
        }
    }
}
