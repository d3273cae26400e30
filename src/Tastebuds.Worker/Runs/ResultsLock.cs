using Npgsql;
using Tastebuds.Worker.Database;

namespace Tastebuds.Worker.Runs;

/// <summary>
/// One writer of the result tables (<c>user_similarities</c>, <c>collaborative_recommendations</c>) at a time across
/// every process on the database: a full stage holds it from before its read snapshot to after its swap, and the
/// incremental step for a new user holds it while it reads and writes. Without it a full run that read before a
/// newcomer's rows were written would swap them away; with it the newcomer is either in the full run's snapshot or
/// served after its swap (see <c>NewUsers/PendingNewUsers</c>).
/// </summary>
public static class ResultsLock
{
    /// <summary>A fixed key ("tastebuds/results" in ASCII, truncated): advisory locks are per database.</summary>
    public const long Key = 0x7461_7374_6562_7573;

    /// <summary>Waits while another stage or incremental step holds it.</summary>
    public static Task<AdvisoryLock> WaitAsync(NpgsqlDataSource dataSource, Action waiting, CancellationToken ct) =>
        AdvisoryLock.WaitForeverAsync(dataSource, Key, waiting, ct);

    /// <summary>Null when a full stage holds it: the incremental step tries again at its next poll.</summary>
    public static Task<AdvisoryLock?> TryAcquireAsync(NpgsqlDataSource dataSource, CancellationToken ct) =>
        AdvisoryLock.TryAcquireAsync(dataSource, Key, ct);
}
