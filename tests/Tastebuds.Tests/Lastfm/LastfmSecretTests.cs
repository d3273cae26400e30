using Microsoft.Extensions.Logging;
using Tastebuds.Worker.Lastfm;

namespace Tastebuds.Tests.Lastfm;

public sealed class LastfmSecretTests
{
    [Test]
    public async Task The_api_key_appears_in_no_log_line_and_no_exception()
    {
        var script = new[]
        {
            Reply.Error(29, "Rate Limit Exceeded"), Reply.Http(502), Reply.Json("{\"user\":"),
            Reply.Json(WireBodies.UserInfo) with { CutOff = true }, Reply.Json(WireBodies.UserInfo) with { Delay = TimeSpan.FromSeconds(3) },
            Reply.Json(WireBodies.UserInfo),                          // call 1 succeeds after 5 retries
            Reply.Error(6, "User not found", 404),                    // call 2
            Reply.Error(10, "Invalid API key", 403),                  // call 3
            Reply.Error(3, "Invalid Method", 400),                    // call 4
            Reply.Http(503),                                        // call 5: retries spent
        };
        await using var server = await ScriptedLastfmServer.StartAsync(script);
        await using var host = new LastfmTestHost(server.BaseUrl, new Dictionary<string, string?>
        {
            ["Lastfm:RequestTimeout"] = "00:00:00.300",
        });
        var client = host.Client;
        var errors = new List<Exception>();

        await client.GetUserInfoAsync("RJ", CancellationToken.None);
        foreach (var call in new Func<Task>[]
                 {
                     () => client.GetUserInfoAsync("ghost", CancellationToken.None),
                     () => client.GetUserInfoAsync("RJ", CancellationToken.None),
                     () => client.GetUserInfoAsync("RJ", CancellationToken.None),
                     () => client.GetUserInfoAsync("RJ", CancellationToken.None),
                 })
        {
            errors.Add(Assert.CatchAsync<LastfmApiException>(() => call())!);
        }

        var lines = host.Logs.Entries.Select(e => e.Everything).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(server.Requests.Select(r => r.Query("api_key")), Is.All.EqualTo(LastfmTestHost.Secret), "the key was sent");
            Assert.That(lines, Has.Some.Contains("api_key=***"), "request URIs are logged, redacted");
            Assert.That(host.Logs.Entries.Where(e => e.Level >= LogLevel.Warning), Is.Not.Empty);
            Assert.That(lines, Has.None.Contains(LastfmTestHost.Secret));
            // .NET 9+ already hides query strings in IHttpClientFactory's own logs unless the
            // System.Net.Http.DisableUriRedaction switch is set; the client removes those loggers anyway.
            Assert.That(host.Logs.Entries.Select(e => e.Category), Has.None.StartsWith("System.Net.Http.HttpClient"));
            Assert.That(errors.Select(e => e.ToString()), Has.None.Contains(LastfmTestHost.Secret));
            Assert.That(errors.Select(e => e.Message), Is.All.Contains("api_key=***"));
            Assert.That(errors.Select(e => e.GetType()), Is.EqualTo(new[]
            {
                typeof(LastfmUserUnavailableException), typeof(LastfmKeyRejectedException), typeof(LastfmApiException),
                typeof(LastfmTransientException),
            }));
        }
    }

    [TestCase("https://ws.audioscrobbler.com/2.0/?method=user.getInfo&api_key=abc123&format=json",
        "https://ws.audioscrobbler.com/2.0/?method=user.getInfo&api_key=***&format=json")]
    [TestCase("/2.0/?api_key=abc123", "/2.0/?api_key=***")]
    [TestCase("/2.0/?method=x&API_KEY=abc123#frag", "/2.0/?method=x&API_KEY=***#frag")]
    [TestCase("/2.0/?method=x&my_api_key=abc", "/2.0/?method=x&my_api_key=abc")]
    public void Redaction_hides_the_key_value_only(string uri, string expected)
    {
        Assert.That(LastfmRedaction.Redact(uri), Is.EqualTo(expected));
    }
}
