namespace Tastebuds.Worker.Fetching;

/// <summary>How one user's fetch ended.</summary>
public readonly record struct UserOutcome(UserOutcome.Kind Result, long ItemsWritten)
{
    public enum Kind
    {
        Succeeded,

        /// <summary>Nothing changed since the last full fetch: 2 requests, nothing written but <c>last_fetched_at</c>.</summary>
        Unchanged,
        Skipped,
        Failed,
        KeyRejected,

        /// <summary>Not fetched: another run holds the API key's fetch lock since a database outage.</summary>
        LockLost,
    }

    /// <summary>Values dropped or clamped while the user's data was merged.</summary>
    public int Warnings { get; init; }

    public static UserOutcome Skipped => new(Kind.Skipped, 0);

    public static UserOutcome Failed => new(Kind.Failed, 0);

    public static UserOutcome KeyRejected => new(Kind.KeyRejected, 0);
}
