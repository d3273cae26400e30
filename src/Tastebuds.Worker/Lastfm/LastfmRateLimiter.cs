using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tastebuds.Worker.Telemetry;

namespace Tastebuds.Worker.Lastfm;

/// <summary>
/// The process-wide request budget: at most <c>MaxRequestsPerMinute</c> attempts in ANY interval of one
/// minute (not only in aligned ones), callers queue (FIFO) for a permit.
/// A sliding window of S segments only promises N permits per S consecutive segments, and an arbitrary
/// interval of one window overlaps S + 1 of them; so the limiter's window is stretched to W·S/(S−2): then
/// any interval of W plus one segment of slack (for network jitter before the request reaches Last.fm)
/// holds at most N. The price is throughput: N per W·S/(S−2), 90% of the nominal budget with S = 20. A singleton shared by every <see cref="LastfmClient"/>;
/// the resilience pipeline asks it once per attempt, so retries spend budget too.
/// </summary>
public sealed class LastfmRateLimiter : IDisposable
{
    private const int SegmentsPerWindow = 20;
    private readonly SlidingWindowRateLimiter _limiter;
    private readonly TimeProvider _time;
    private readonly ILogger<LastfmRateLimiter> _logger;
    private readonly RateLimitingOptions _options;
    private readonly TastebudsMetrics _metrics;

    public LastfmRateLimiter(IOptions<RateLimitingOptions> options, TimeProvider time, TastebudsMetrics metrics, ILogger<LastfmRateLimiter> logger)
    {
        _metrics = metrics;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _limiter = new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
        {
            PermitLimit = _options.MaxRequestsPerMinute,
            Window = _options.Window * SegmentsPerWindow / (SegmentsPerWindow - 2),
            SegmentsPerWindow = SegmentsPerWindow,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            QueueLimit = 100_000,
            AutoReplenishment = true,
        });
    }

    internal async ValueTask<RateLimitLease> AcquireAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var lease = await _limiter.AcquireAsync(1, cancellationToken);
        var waited = _time.GetElapsedTime(started);
        LastfmCallStats.RecordWait(waited);
        _metrics.RecordRateLimitWait(waited);
        if (waited >= TimeSpan.FromMilliseconds(1))
        {
            LastfmLog.WaitedForPermit(_logger, waited.TotalMilliseconds, _options.MaxRequestsPerMinute, _options.Window);
        }

        return lease;
    }

    public void Dispose() => _limiter.Dispose();
}
