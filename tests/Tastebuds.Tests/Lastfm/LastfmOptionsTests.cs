using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tastebuds.Worker.Lastfm;

namespace Tastebuds.Tests.Lastfm;

public sealed class LastfmOptionsTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddLastfm(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services.BuildServiceProvider();
    }

    [Test]
    public void Defaults_are_valid_and_as_documented()
    {
        using var services = Build([]);
        var lastfm = services.GetRequiredService<IOptions<LastfmOptions>>().Value;
        var limits = services.GetRequiredService<IOptions<FetchLimitsOptions>>().Value;
        var rate = services.GetRequiredService<IOptions<RateLimitingOptions>>().Value;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(lastfm.BaseUrl, Is.EqualTo("https://ws.audioscrobbler.com/2.0/"));
            Assert.That(lastfm.Period, Is.EqualTo("overall"));
            Assert.That((lastfm.RequestTimeout, lastfm.MaxRetries, lastfm.RetryBaseDelay, lastfm.RetryMaxDelay),
                Is.EqualTo((TimeSpan.FromSeconds(10), 5, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1))));
            Assert.That(lastfm.UserAgent, Is.EqualTo("Tastebuds/1.0 (+https://github.com/tastebuds)"));
            Assert.That((limits.TracksPerUser, limits.AlbumsPerUser, limits.ArtistsPerUser, limits.LovedTracksPerUser,
                limits.TagsPerUser, limits.TaggedItemsPerTag), Is.EqualTo((100, 50, 30, 100, 0, 50)));
            Assert.That((rate.DelayBetweenUsers, rate.MaxRequestsPerMinute), Is.EqualTo((TimeSpan.FromSeconds(1), 30)));
        }
    }

    [Test]
    public void Every_bad_setting_is_reported_with_name_value_and_rule()
    {
        using var services = Build(new()
        {
            ["Lastfm:Period"] = "weekly",
            ["Lastfm:ApiKey"] = "secret with space",
            ["Lastfm:BaseUrl"] = "ftp://example.org/",
            ["Lastfm:RetryBaseDelay"] = "00:02:00",
            ["Lastfm:RetryMaxDelay"] = "00:01:00",
            ["Lastfm:RequestTimeout"] = "00:00:00",
            ["Lastfm:Users:0"] = "rj",
            ["Lastfm:Users:1"] = "RJ",
            ["Lastfm:MaxRetries"] = "99",
        });

        var ex = Assert.Throws<OptionsValidationException>(() => _ = services.GetRequiredService<IOptions<LastfmOptions>>().Value);

        Assert.That(ex.Failures, Is.SupersetOf(new[]
        {
            "Lastfm:Period = 'weekly': must be one of overall, 7day, 1month, 3month, 6month, 12month",
            "Lastfm:ApiKey = ***: must not contain white space",
            "Lastfm:BaseUrl = 'ftp://example.org/': must be an absolute http or https URL without a query",
            "Lastfm:RetryBaseDelay = 00:02:00: must not exceed RetryMaxDelay (00:01:00)",
            "Lastfm:RequestTimeout = 00:00:00: must be greater than 00:00:00 and at most 00:05:00",
            "Lastfm:Users = 'rj': must be listed once (user names are case-insensitive)",
        }));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex.Failures, Does.Contain("Lastfm:MaxRetries = 99: must be between 0 and 20"), "DataAnnotations range, in the house format");
            Assert.That(ex.Message, Does.Not.Contain("secret"));
        }
    }

    [Test]
    public void A_base_url_carrying_an_api_key_is_rejected_without_showing_the_key()
    {
        using var services = Build(new() { ["Lastfm:BaseUrl"] = "https://ws.audioscrobbler.com/2.0/?api_key=0123456789abcdef" });

        var ex = Assert.Throws<OptionsValidationException>(() => _ = services.GetRequiredService<IOptions<LastfmOptions>>().Value);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex.Failures, Has.One.Contains("Lastfm:BaseUrl = 'https://ws.audioscrobbler.com/2.0/?api_key=***'"));
            Assert.That(ex.Message, Does.Not.Contain("0123456789abcdef"));
        }
    }

    [Test]
    public void Rate_and_fetch_limits_are_checked()
    {
        using var services = Build(new()
        {
            ["RateLimiting:MaxRequestsPerMinute"] = "0",
            ["RateLimiting:DelayBetweenUsers"] = "-00:00:01",
            ["FetchLimits:TagsPerUser"] = "5",
            ["FetchLimits:TaggedItemsPerTag"] = "0",
        });

        var rate = Assert.Throws<OptionsValidationException>(() => _ = services.GetRequiredService<IOptions<RateLimitingOptions>>().Value);
        var fetch = Assert.Throws<OptionsValidationException>(() => _ = services.GetRequiredService<IOptions<FetchLimitsOptions>>().Value);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(rate.Failures, Does.Contain("RateLimiting:MaxRequestsPerMinute = 0: must be between 1 and 100000"));
            Assert.That(rate.Failures, Does.Contain("RateLimiting:DelayBetweenUsers = -00:00:01: must be between 00:00:00 and 01:00:00"));
            Assert.That(fetch.Failures, Does.Contain(
                "FetchLimits:TaggedItemsPerTag = 0: must be greater than 0 when TagsPerUser is 5 (set TagsPerUser to 0 to skip tags)"));
        }
    }

    [Test]
    public void Call_stats_scopes_nest_and_stay_readable()
    {
        using var outer = LastfmCallStats.Begin();
        LastfmCallStats.RecordRequest();
        var inner = LastfmCallStats.Begin();
        LastfmCallStats.RecordRequest();
        LastfmCallStats.RecordRetry();
        inner.Dispose();
        LastfmCallStats.RecordRequest();

        Assert.That((outer.Requests, outer.Retries, inner.Requests, inner.Retries), Is.EqualTo((3, 1, 1, 1)));
    }
}
