using System.Diagnostics;

namespace Tastebuds.Worker.Database;

/// <summary>
/// Where a <see cref="StagedTableSwap"/> spent its time, step by step (wall time of each, in the order they run): the
/// COPY (rows produced by the caller included), the key and index builds, the foreign keys, ANALYZE, the swap itself
/// (table lock, detach, attach, commit) and the drop of the old generation after it.
/// </summary>
public sealed class SwapSteps
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _last;

    public TimeSpan Copy { get; private set; }

    public TimeSpan Keys { get; private set; }

    public TimeSpan ForeignKeys { get; private set; }

    public TimeSpan Analyze { get; private set; }

    public TimeSpan Swap { get; private set; }

    public TimeSpan Drop { get; private set; }

    internal void CopyDone() => Copy = Lap();

    internal void KeysDone() => Keys = Lap();

    internal void ForeignKeysDone() => ForeignKeys = Lap();

    internal void AnalyzeDone() => Analyze = Lap();

    internal void SwapDone() => Swap = Lap();

    internal void DropDone() => Drop = Lap();

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

    private TimeSpan Lap()
    {
        var now = _clock.Elapsed;
        var lap = now - _last;
        _last = now;
        return lap;
    }
}
