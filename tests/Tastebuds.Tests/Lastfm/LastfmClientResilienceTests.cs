using System.Diagnostics;
using Tastebuds.Worker.Lastfm;

namespace Tastebuds.Tests.Lastfm;

public sealed class LastfmClientResilienceTests
{
    private const string Truncated = """{"user":{"name":"RJ","playcount":128""";

    private static IEnumerable<TestCaseData> TransientFaults()
    {
        yield return new TestCaseData(Reply.Error(29, "Rate Limit Exceeded")).SetName("Error 29 in HTTP 200 is retried");
        yield return new TestCaseData(Reply.Error(29, "Rate Limit Exceeded", 429)).SetName("Error 29 in HTTP 429 is retried");
        yield return new TestCaseData(Reply.Error(8, "Operation failed")).SetName("Error 8 is retried");
        yield return new TestCaseData(Reply.Error(11, "Service Offline")).SetName("Error 11 is retried");
        yield return new TestCaseData(Reply.Error(16, "Temporary error", 503)).SetName("Error 16 is retried");
        yield return new TestCaseData(Reply.Http(500)).SetName("HTTP 500 with an HTML body is retried");
        yield return new TestCaseData(Reply.Http(503, "{}")).SetName("HTTP 503 with a JSON body is retried");
        yield return new TestCaseData(Reply.Json(Truncated)).SetName("A truncated JSON body is retried");
        yield return new TestCaseData(Reply.Json("<html>oops</html>")).SetName("A malformed body in HTTP 200 is retried");
        yield return new TestCaseData(Reply.Json("")).SetName("An empty body in HTTP 200 is retried");
        yield return new TestCaseData(Reply.Json(WireBodies.UserInfo) with { CutOff = true }).SetName("A connection cut mid-body is retried");
    }

    [TestCaseSource(nameof(TransientFaults))]
    public async Task Transient_fault_then_success(Reply fault)
    {
        await using var server = await ScriptedLastfmServer.StartAsync(fault, fault, Reply.Json(WireBodies.UserInfo));
        await using var host = new LastfmTestHost(server.BaseUrl);
        using var stats = LastfmCallStats.Begin();

        var user = await host.Client.GetUserInfoAsync("RJ", CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(user.Name, Is.EqualTo("RJ"));
            Assert.That(server.Count, Is.EqualTo(3));
            Assert.That((stats.Requests, stats.Retries), Is.EqualTo((3, 2)));
        }
    }

    [Test]
    public async Task Retries_end_after_MaxRetries_with_a_transient_exception()
    {
        await using var server = await ScriptedLastfmServer.StartAsync(Reply.Error(29, "Rate Limit Exceeded"));
        await using var host = new LastfmTestHost(server.BaseUrl, new Dictionary<string, string?> { ["Lastfm:MaxRetries"] = "2" });
        using var stats = LastfmCallStats.Begin();

        var ex = Assert.ThrowsAsync<LastfmTransientException>(() => host.Client.GetUserInfoAsync("RJ", CancellationToken.None));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex.ErrorCode, Is.EqualTo(LastfmErrorCode.RateLimitExceeded));
            Assert.That(server.Count, Is.EqualTo(3));
            Assert.That((stats.Requests, stats.Retries), Is.EqualTo((3, 2)));
        }
    }

    [Test]
    public async Task A_refused_connection_ends_as_a_transient_exception_after_the_retries()
    {
        var server = await ScriptedLastfmServer.StartAsync(Reply.Json(WireBodies.UserInfo));
        var closed = server.BaseUrl;
        await server.DisposeAsync();
        await using var host = new LastfmTestHost(closed, new Dictionary<string, string?> { ["Lastfm:MaxRetries"] = "2" });
        using var stats = LastfmCallStats.Begin();

        var ex = Assert.ThrowsAsync<LastfmTransientException>(() => host.Client.GetUserInfoAsync("RJ", CancellationToken.None));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex.InnerException, Is.InstanceOf<HttpRequestException>(), "the transport failure is kept as the cause");
            Assert.That((stats.Requests, stats.Retries), Is.EqualTo((3, 2)));
        }
    }

    [TestCase(6, 200, "User not found")]
    [TestCase(6, 404, "User not found")]
    [TestCase(17, 403, "Login: User required to be logged in")]
    public async Task Unavailable_users_are_not_retried(int code, int status, string message)
    {
        await using var server = await ScriptedLastfmServer.StartAsync(Reply.Error(code, message, status), Reply.Json(WireBodies.UserInfo));
        await using var host = new LastfmTestHost(server.BaseUrl);

        var ex = Assert.ThrowsAsync<LastfmUserUnavailableException>(() => host.Client.GetUserInfoAsync("ghost", CancellationToken.None));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(server.Count, Is.EqualTo(1));
            Assert.That((int)ex.ErrorCode, Is.EqualTo(code));
            Assert.That(ex.ApiMessage, Is.EqualTo(message));
            Assert.That((int?)ex.StatusCode, Is.EqualTo(status));
        }
    }

    [TestCase(10, 403)]
    [TestCase(26, 200)]
    public async Task A_rejected_key_stops_after_one_request(int code, int status)
    {
        await using var server = await ScriptedLastfmServer.StartAsync(Reply.Error(code, "Invalid API key", status), Reply.Json(WireBodies.UserInfo));
        await using var host = new LastfmTestHost(server.BaseUrl);

        var ex = Assert.ThrowsAsync<LastfmKeyRejectedException>(() => host.Client.GetUserInfoAsync("RJ", CancellationToken.None));

        Assert.That(((int)ex.ErrorCode, server.Count), Is.EqualTo((code, 1)));
    }

    [TestCase(3, 400)]
    [TestCase(4, 200)]
    [TestCase(13, 403)]
    public async Task Other_error_codes_fail_without_retry(int code, int status)
    {
        await using var server = await ScriptedLastfmServer.StartAsync(Reply.Error(code, "Nope", status), Reply.Json(WireBodies.UserInfo));
        await using var host = new LastfmTestHost(server.BaseUrl);

        var ex = Assert.ThrowsAsync<LastfmApiException>(() => host.Client.GetUserInfoAsync("RJ", CancellationToken.None));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex.GetType(), Is.EqualTo(typeof(LastfmApiException)));
            Assert.That(((int)ex.ErrorCode, ex.ApiMessage, server.Count), Is.EqualTo((code, "Nope", 1)));
        }
    }

    // The two limiter tests keep the real clock: System.Threading.RateLimiting's SlidingWindowRateLimiter has no
    // TimeProvider seam (even a manual TryReplenish reads Stopwatch.GetTimestamp), so their margins stay wide.
    [Test]
    public async Task The_limiter_holds_requests_to_the_budget_per_window()
    {
        await using var server = await ScriptedLastfmServer.StartAsync(Reply.Json(WireBodies.UserInfo));
        var window = TimeSpan.FromMilliseconds(600);
        await using var host = new LastfmTestHost(server.BaseUrl,
            new Dictionary<string, string?> { ["RateLimiting:MaxRequestsPerMinute"] = "3" }, window);
        using var stats = LastfmCallStats.Begin();
        var clock = Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(0, 7).Select(_ => host.Client.GetUserInfoAsync("RJ", CancellationToken.None)));

        var at = server.Requests.Select(r => r.At).ToArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(at, Has.Length.EqualTo(7));
            Assert.That(clock.Elapsed, Is.GreaterThan(window * 1.8), "7 requests at 3 per window take two windows");
            // No 4 requests inside one window (less a segment of slack for the sliding window's resolution).
            for (var i = 3; i < at.Length; i++)
            {
                Assert.That(at[i] - at[i - 3], Is.GreaterThan(window - (window / 6)), $"request {i + 1}");
            }

            Assert.That(stats.RateLimitWait, Is.GreaterThan(window), "waiting is measured");
            Assert.That(stats.Requests, Is.EqualTo(7), "one permit an attempt");
        }
    }

    [Test]
    public async Task Retries_spend_the_rate_budget_too()
    {
        await using var server = await ScriptedLastfmServer.StartAsync(Reply.Http(503), Reply.Json(WireBodies.UserInfo));
        var window = TimeSpan.FromMilliseconds(600);
        await using var host = new LastfmTestHost(server.BaseUrl,
            new Dictionary<string, string?> { ["RateLimiting:MaxRequestsPerMinute"] = "2" }, window);

        await host.Client.GetUserInfoAsync("RJ", CancellationToken.None);
        await host.Client.GetUserInfoAsync("RJ", CancellationToken.None);

        var at = server.Requests.Select(r => r.At).ToArray();
        Assert.That(at[2] - at[0], Is.GreaterThan(window - (window / 6)), "the third attempt waited for the window");
    }
}
