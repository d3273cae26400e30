using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Tastebuds.Worker.Lastfm;

namespace Tastebuds.Tests.Lastfm;

public sealed class LastfmRetryLogTests
{
    private const int RetryScheduled = 1006;

    [Test]
    public async Task A_request_retried_twice_logs_two_retry_lines_and_Polly_logs_no_warning()
    {
        await using var server = await ScriptedLastfmServer.StartAsync(Reply.Http(503), Reply.Error(29, "Rate Limit Exceeded"), Reply.Json(WireBodies.UserInfo));
        await using var host = new LastfmTestHost(server.BaseUrl);
        var pollyEvents = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument is { Meter.Name: "Polly", Name: "resilience.polly.strategy.events" })
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<int>((_, value, _, _) => Interlocked.Add(ref pollyEvents, value));
        listener.Start();

        await host.Client.GetUserInfoAsync("RJ", CancellationToken.None);

        var entries = host.Logs.Entries;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(server.Count, Is.EqualTo(3));
            Assert.That(entries.Where(e => e.EventId.Id == RetryScheduled).Select(e => e.Category),
                Is.EqualTo(new[] { typeof(LastfmClient).FullName, typeof(LastfmClient).FullName }), "one line per retry, ours");
            Assert.That(entries.Where(e => e.Category.StartsWith("Polly", StringComparison.Ordinal) && e.Level >= LogLevel.Warning)
                .Select(e => e.Message), Is.Empty, "Polly's own retry and attempt lines");
            Assert.That(pollyEvents, Is.GreaterThanOrEqualTo(2), "Polly's metrics still count the retries");
        }
    }
}
