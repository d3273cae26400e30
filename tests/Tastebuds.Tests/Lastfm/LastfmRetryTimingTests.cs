using Tastebuds.Tests.Support;
using Tastebuds.Worker.Lastfm;

namespace Tastebuds.Tests.Lastfm;

/// <summary>
/// Retry delays and the attempt timeout on a fake clock: the client's resilience pipeline takes the host's
/// <see cref="TimeProvider"/>, so each delay is read exactly from the timer it makes, and nothing waits for real.
/// </summary>
public sealed class LastfmRetryTimingTests
{
    // Distinct from every retry delay below, so the attempt timeout's timers can be told apart.
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromMinutes(1);

    [Test]
    public async Task Retry_After_is_waited_exactly_over_the_short_backoff()
    {
        await using var server = await ScriptedLastfmServer.StartAsync(
            Reply.Error(29, "Rate Limit Exceeded", 429) with { RetryAfterSeconds = 2 }, Reply.Json(WireBodies.UserInfo));
        var time = new TimerRecordingTimeProvider();
        await using var host = Host(server, time, retryMaxDelay: "00:00:05");

        var call = host.Client.GetUserInfoAsync("RJ", CancellationToken.None);
        var delay = await time.NextTimerAsync(except: AttemptTimeout);
        time.Advance(delay - TimeSpan.FromTicks(1));
        await Task.Delay(200); // a retry sent early would have reached the server by now
        var early = server.Count;
        time.Advance(TimeSpan.FromTicks(1));
        await call;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(delay, Is.EqualTo(TimeSpan.FromSeconds(2)));
            Assert.That(early, Is.EqualTo(1), "no retry before Retry-After has passed");
            Assert.That(server.Count, Is.EqualTo(2));
        }
    }

    [Test]
    public async Task Retry_After_is_capped_by_RetryMaxDelay()
    {
        await using var server = await ScriptedLastfmServer.StartAsync(
            Reply.Http(503) with { RetryAfterSeconds = 600 }, Reply.Json(WireBodies.UserInfo));
        var time = new TimerRecordingTimeProvider();
        await using var host = Host(server, time, retryMaxDelay: "00:00:03");
        var call = host.Client.GetUserInfoAsync("RJ", CancellationToken.None);
        var delay = await time.NextTimerAsync(except: AttemptTimeout);
        time.Advance(delay);
        await call;

        Assert.That((delay, server.Count), Is.EqualTo((TimeSpan.FromSeconds(3), 2)));
    }

    [Test]
    public async Task Without_Retry_After_the_jittered_backoff_stays_within_RetryMaxDelay()
    {
        await using var server = await ScriptedLastfmServer.StartAsync(Reply.Http(503), Reply.Http(502), Reply.Http(500), Reply.Json(WireBodies.UserInfo));
        var time = new TimerRecordingTimeProvider();
        await using var host = Host(server, time, retryMaxDelay: "00:00:04", retryBaseDelay: "00:00:01", maxRetries: 3);

        var call = host.Client.GetUserInfoAsync("RJ", CancellationToken.None);
        var delays = new List<TimeSpan>();
        for (var retry = 0; retry < 3; retry++)
        {
            delays.Add(await time.NextTimerAsync(except: AttemptTimeout));
            time.Advance(delays[^1]);
        }

        await call;
        using (Assert.EnterMultipleScope())
        {
            // Polly's exponential backoff with jitter (decorrelated): random, so only its bounds are exact.
            Assert.That(delays.All(d => d > TimeSpan.Zero && d <= TimeSpan.FromSeconds(4)), Is.True, string.Join(", ", delays));
            Assert.That(delays, Has.Count.EqualTo(3));
            Assert.That(server.Count, Is.EqualTo(4));
        }
    }

    [Test]
    public async Task An_attempt_that_times_out_is_retried()
    {
        await using var server = await ScriptedLastfmServer.StartAsync(
            Reply.Json(WireBodies.UserInfo) with { Delay = TimeSpan.FromMinutes(5) }, Reply.Json(WireBodies.UserInfo));
        var time = new TimerRecordingTimeProvider();
        await using var host = Host(server, time, retryMaxDelay: "00:00:00.050");
        using var stats = LastfmCallStats.Begin();

        var call = host.Client.GetUserInfoAsync("RJ", CancellationToken.None);
        await Eventually.WaitUntilAsync(() => server.Count == 1, what: "the first attempt reached the server");
        time.Advance(AttemptTimeout);
        time.Advance(await time.NextTimerAsync(except: AttemptTimeout));
        var user = await call;

        Assert.That((user.Name, server.Count, stats.Retries), Is.EqualTo(("RJ", 2, 1)));
    }

    private static LastfmTestHost Host(ScriptedLastfmServer server, TimeProvider time, string retryMaxDelay,
        string retryBaseDelay = "00:00:00.010", int maxRetries = 2) =>
        new(server.BaseUrl, new Dictionary<string, string?>
        {
            ["Lastfm:RequestTimeout"] = AttemptTimeout.ToString(),
            ["Lastfm:RetryBaseDelay"] = retryBaseDelay,
            ["Lastfm:RetryMaxDelay"] = retryMaxDelay,
            ["Lastfm:MaxRetries"] = maxRetries.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, time: time);
}
