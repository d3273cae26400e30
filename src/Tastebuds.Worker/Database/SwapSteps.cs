using System.Diagnostics;

namespace Tastebuds.Worker.Database;

/// <summary>
/// Where a <see cref="StagedTableSwap"/> spent its time, step by step, in the order they run: the COPY (rows produced by
/// the caller included), the key and index builds, the foreign keys, ANALYZE, the swap itself (table lock, detach,
/// attach, commit) and the drop of the old generation after it. The parts of a generation run their steps side by side:
/// a step ends when its last part has done it, so each step is the wall time from the previous step's end to its own,
/// and the steps add up to the whole write.
/// </summary>
public sealed class SwapSteps
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly long[] _ends = new long[6];

    public TimeSpan Copy => Step(0);

    public TimeSpan Keys => Step(1);

    public TimeSpan ForeignKeys => Step(2);

    public TimeSpan Analyze => Step(3);

    public TimeSpan Swap => Step(4);

    public TimeSpan Drop => Step(5);

    internal void CopyDone() => Done(0);

    internal void KeysDone() => Done(1);

    internal void ForeignKeysDone() => Done(2);

    internal void AnalyzeDone() => Done(3);

    internal void SwapDone() => Done(4);

    internal void DropDone() => Done(5);

    /// <summary>The steps in milliseconds, for a run's <c>data_fetch_logs.details</c>.</summary>
    public IReadOnlyDictionary<string, long> ToDetails() => new Dictionary<string, long>
    {
        ["copy"] = (long)Copy.TotalMilliseconds,
        ["keys"] = (long)Keys.TotalMilliseconds,
        ["foreign_keys"] = (long)ForeignKeys.TotalMilliseconds,
        ["analyze"] = (long)Analyze.TotalMilliseconds,
        ["swap"] = (long)Swap.TotalMilliseconds,
        ["drop"] = (long)Drop.TotalMilliseconds,
    };

    /// <summary>The step's end is the latest of its parts' ends.</summary>
    private void Done(int step)
    {
        var now = _clock.ElapsedTicks;
        var seen = Volatile.Read(ref _ends[step]);
        while (now > seen)
        {
            var was = Interlocked.CompareExchange(ref _ends[step], now, seen);
            if (was == seen)
            {
                break;
            }

            seen = was;
        }
    }

    private TimeSpan Step(int step)
    {
        var previous = 0L;
        for (var s = 0; s < step; s++)
        {
            previous = Math.Max(previous, Volatile.Read(ref _ends[s]));
        }

        var end = Volatile.Read(ref _ends[step]);
        return end > previous ? Stopwatch.GetElapsedTime(0, end - previous) : TimeSpan.Zero;
    }
}
