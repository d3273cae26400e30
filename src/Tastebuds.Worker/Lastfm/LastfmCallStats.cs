namespace Tastebuds.Worker.Lastfm;

/// <summary>
/// Counts what Last.fm calls cost inside a scope that flows with the async context:
/// <code>
/// using var stats = LastfmCallStats.Begin();
/// await client.GetTopTracksAsync(user, period, 100, ct);   // any number of calls
/// log.Requests = stats.Requests; log.Retries = stats.Retries;
/// </code>
/// Every attempt (retries included) is a request. Scopes nest: an inner scope's counts also
/// go to the outer ones. Values stay readable after <see cref="Dispose"/>.
/// </summary>
public sealed class LastfmCallStats : IDisposable
{
    private static readonly AsyncLocal<LastfmCallStats?> CurrentScope = new();

    private readonly LastfmCallStats? _parent;
    private int _requests;
    private int _retries;
    private long _waitTicks;

    private LastfmCallStats(LastfmCallStats? parent) => _parent = parent;

    /// <summary>HTTP requests sent (attempts, retries included).</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Attempts that were retries of an earlier failed attempt.</summary>
    public int Retries => Volatile.Read(ref _retries);

    /// <summary>Time spent queued by the client-side rate limiter.</summary>
    public TimeSpan RateLimitWait => TimeSpan.FromTicks(Interlocked.Read(ref _waitTicks));

    /// <summary>Starts a scope; the caller must dispose it (in the same async method) to end it.</summary>
    public static LastfmCallStats Begin()
    {
        var stats = new LastfmCallStats(CurrentScope.Value);
        CurrentScope.Value = stats;
        return stats;
    }

    public void Dispose()
    {
        if (ReferenceEquals(CurrentScope.Value, this))
        {
            CurrentScope.Value = _parent;
        }
    }

    internal static void RecordRequest()
    {
        for (var s = CurrentScope.Value; s is not null; s = s._parent)
        {
            Interlocked.Increment(ref s._requests);
        }
    }

    internal static void RecordRetry()
    {
        for (var s = CurrentScope.Value; s is not null; s = s._parent)
        {
            Interlocked.Increment(ref s._retries);
        }
    }

    internal static void RecordWait(TimeSpan wait)
    {
        for (var s = CurrentScope.Value; s is not null; s = s._parent)
        {
            Interlocked.Add(ref s._waitTicks, wait.Ticks);
        }
    }
}
