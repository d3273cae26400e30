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
}
