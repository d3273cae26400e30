using System.Collections.Concurrent;

namespace Tastebuds.Core;

/// <summary>
/// The options of every CPU-bound parallel loop: at most the given number of workers, one per core when it is 0 or
/// negative (-1: "every core"). Unbounded, a loop takes whatever threads the pool injects while it runs; at 100,000 users
/// the recommendation stage's ranking then rented 1,174 per-thread workspaces of ≈ 9 MB where 2 serve, each first touched
/// page by page (809,421 and 655,435 page faults in the stage against 499,251 and 494,450 bounded; docs/benchmarks.md).
/// </summary>
public static class Parallelism
{
    /// <summary><paramref name="maxDegreeOfParallelism"/> workers at most, or <see cref="Environment.ProcessorCount"/> if it is not positive.</summary>
    public static ParallelOptions Options(int maxDegreeOfParallelism, CancellationToken cancellationToken) => new()
    {
        CancellationToken = cancellationToken,
        MaxDegreeOfParallelism = maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : Environment.ProcessorCount,
    };

    /// <summary>One worker per core.</summary>
    public static ParallelOptions Options(CancellationToken cancellationToken) => Options(-1, cancellationToken);

    /// <summary>
    /// Rows (users, or items) a task of a per-row pass takes at a time: enough rows to outweigh a task's cost, and 50 tasks
    /// at 100,000 users.
    /// </summary>
    public const int RowsPerTask = 2048;

    /// <summary>
    /// <paramref name="body"/>(start, end) for consecutive ranges of at most <see cref="RowsPerTask"/> of [0, count), side by
    /// side; nothing when <paramref name="count"/> is 0. For passes whose rows are their own (disjoint writes), so the result
    /// does not depend on the threads.
    /// </summary>
    public static void ForRanges(int count, ParallelOptions options, Action<int, int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (count > 0)
        {
            Parallel.ForEach(Partitioner.Create(0, count, RowsPerTask), options, range => body(range.Item1, range.Item2));
        }
    }
}
