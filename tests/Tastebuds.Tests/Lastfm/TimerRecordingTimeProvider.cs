using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Tastebuds.Tests.Lastfm;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that reports the due time of every timer made on it, so a test knows a delay
/// has started (and how long it is) before it advances the clock. Polly's retry delay and attempt timeout, and
/// CancellationTokenSource.CancelAfter, all make one timer each.
/// </summary>
internal sealed class TimerRecordingTimeProvider : FakeTimeProvider
{
    private readonly Channel<TimeSpan> _dueTimes = Channel.CreateUnbounded<TimeSpan>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        _dueTimes.Writer.TryWrite(dueTime);
        return base.CreateTimer(callback, state, dueTime, period);
    }

    /// <summary>The due time of the next timer made with a finite due time other than <paramref name="except"/> (e.g. the attempt timeout's).</summary>
    public async Task<TimeSpan> NextTimerAsync(TimeSpan except)
    {
        using var give = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var due = await _dueTimes.Reader.ReadAsync(give.Token);
            // Infinite: a CancellationTokenSource made on this clock that has not been told when to cancel yet.
            if (due != except && due != Timeout.InfiniteTimeSpan)
            {
                return due;
            }
        }
    }
}
