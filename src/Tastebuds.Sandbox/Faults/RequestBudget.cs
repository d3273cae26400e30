namespace Tastebuds.Sandbox.Faults;

/// A fixed-window request budget per API key (like Last.fm's per-key limit). Windows are aligned to
/// multiples of the window length on the injected clock, so "how long until it rolls over" is exact.
internal sealed class RequestBudget(int maxRequests, TimeSpan window, TimeProvider time)
{
    private readonly Dictionary<string, (long Window, int Count)> _used = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// True when the request fits; otherwise false and how long until the window rolls over.
    public bool TryTake(string apiKey, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (maxRequests <= 0)
        {
            return true;
        }

        var now = time.GetUtcNow().UtcTicks;
        var current = now / window.Ticks;
        lock (_lock)
        {
            var (windowIndex, count) = _used.GetValueOrDefault(apiKey);
            if (windowIndex != current)
            {
                count = 0;
            }

            if (count >= maxRequests)
            {
                retryAfter = TimeSpan.FromTicks(((current + 1) * window.Ticks) - now);
                return false;
            }

            _used[apiKey] = (current, count + 1);
            return true;
        }
    }
}
