using Tastebuds.Worker.Lastfm;

namespace Tastebuds.Worker.Fetching;

/// <summary>Progress of a run so far, for the terminal and the logs.</summary>
public sealed record FetchProgress(int Total)
{
    public int Done { get; init; }

    /// <summary>Users fetched in full and stored.</summary>
    public int Succeeded { get; init; }

    /// <summary>Users found unchanged since their last full fetch (2 requests each, nothing stored).</summary>
    public int Unchanged { get; init; }

    public int Skipped { get; init; }

    public int Failed { get; init; }

    public int Requests { get; init; }

    public int Retries { get; init; }

    public long ItemsWritten { get; init; }

    public int Warnings { get; init; }

    public TimeSpan Elapsed { get; init; }

    public double RequestsPerSecond => Elapsed.TotalSeconds > 0 ? Requests / Elapsed.TotalSeconds : 0;

    internal FetchProgress With(UserOutcome outcome, LastfmCallStats stats, TimeSpan elapsed) => this with
    {
        Done = Done + 1,
        Succeeded = Succeeded + (outcome.Result == UserOutcome.Kind.Succeeded ? 1 : 0),
        Unchanged = Unchanged + (outcome.Result == UserOutcome.Kind.Unchanged ? 1 : 0),
        Skipped = Skipped + (outcome.Result == UserOutcome.Kind.Skipped ? 1 : 0),
        Failed = Failed + (outcome.Result is UserOutcome.Kind.Failed or UserOutcome.Kind.KeyRejected ? 1 : 0),
        Requests = stats.Requests,
        Retries = stats.Retries,
        ItemsWritten = ItemsWritten + outcome.ItemsWritten,
        Warnings = Warnings + outcome.Warnings,
        Elapsed = elapsed,
    };
}
