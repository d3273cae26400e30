using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Tastebuds.Tests.Lastfm;
using Tastebuds.Worker.Lastfm;
using Tastebuds.Worker.Telemetry;

namespace Tastebuds.Tests.Telemetry;

/// <summary>The Last.fm client records its attempts, retries and permit waits on the Tastebuds meter.</summary>
public sealed class LastfmMetricsTests
{
    [Test]
    public async Task Every_attempt_is_counted_with_its_outcome_and_error_code_and_every_retry_and_permit_wait_is_recorded()
    {
        await using var server = await ScriptedLastfmServer.StartAsync(
            Reply.Error(29, "Rate Limit Exceeded"),
            Reply.Json(WireBodies.UserInfo) with { Delay = TimeSpan.FromSeconds(5) },
            Reply.Json(WireBodies.UserInfo),
            Reply.Error(6, "User not found"));
        await using var host = new LastfmTestHost(server.BaseUrl, new Dictionary<string, string?> { ["Lastfm:RequestTimeout"] = "00:00:00.300" });
        using var recorded = new Recorded(host.Get<IMeterFactory>());

        await host.Client.GetUserInfoAsync("RJ", CancellationToken.None);
        Assert.ThrowsAsync<LastfmUserUnavailableException>(() => host.Client.GetUserInfoAsync("nobody", CancellationToken.None));

        var requests = recorded.Of(TastebudsInstruments.LastfmRequests)
            .Select(m => (m.Tags["method"], m.Tags["outcome"], m.Tags["error_code"])).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(requests, Is.EqualTo(new[]
            {
                ((object?)"user.getInfo", (object?)"transient", (object?)"29"),
                ("user.getInfo", "timeout", ""),
                ("user.getInfo", "success", ""),
                ("user.getInfo", "error", "6"),
            }));
            Assert.That(recorded.Of(TastebudsInstruments.LastfmRequestDuration), Has.Count.EqualTo(4));
            Assert.That(recorded.Of(TastebudsInstruments.LastfmRequestDuration).Single(m => (string?)m.Tags["outcome"] == "timeout").Value,
                Is.InRange(0.25, 2.0), "the attempt timeout, in seconds");
            Assert.That(recorded.Of(TastebudsInstruments.LastfmRetries).Select(m => m.Tags["method"]), Is.EqualTo(new[] { "user.getInfo", "user.getInfo" }));
            Assert.That(recorded.Of(TastebudsInstruments.LastfmRateLimitWait), Has.Count.EqualTo(4), "one permit per attempt");
        }
    }

    /// <summary>Measurements of one container's Tastebuds meter (a meter from IMeterFactory is scoped to its factory).</summary>
    private sealed class Recorded : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = new();

        public Recorded(IMeterFactory factory)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == TastebudsInstruments.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v, tags));
            _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i, v, tags));
            _listener.Start();
        }

        public List<(double Value, Dictionary<string, object?> Tags)> Of(string instrument) =>
            _measurements.Where(m => m.Instrument == instrument).Select(m => (m.Value, m.Tags)).ToList();

        public void Dispose() => _listener.Dispose();

        private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var tag in tags)
            {
                copy[tag.Key] = tag.Value;
            }

            _measurements.Enqueue((instrument.Name, value, copy));
        }
    }
}
