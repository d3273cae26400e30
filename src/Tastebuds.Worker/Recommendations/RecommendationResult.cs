namespace Tastebuds.Worker.Recommendations;

/// <summary>
/// What a recommendation run did. <see cref="NeighboursComputedAt"/> is the <c>computed_at</c> of the stored
/// neighbours used (null when there were none); <see cref="RowsWritten"/> = the rows the table now holds.
/// </summary>
public sealed record RecommendationResult(
    Guid RunId,
    int Users,
    int UsersWithRecommendations,
    IReadOnlyList<string> Metrics,
    long NeighboursUsed,
    DateTimeOffset? NeighboursComputedAt,
    int NeighboursSkipped,
    long RowsWritten,
    DateTimeOffset GeneratedAt,
    TimeSpan LoadTime,
    TimeSpan ComputeTime,
    TimeSpan WriteTime,
    TimeSpan Elapsed)
{
    /// <summary>A model run's fit (validation tuning included); null for user-kNN, which reads stored neighbours.</summary>
    public TimeSpan? FitTime { get; init; }

    /// <summary>A model run's ranking and explaining (overlapping the write); null for user-kNN.</summary>
    public TimeSpan? ScoreTime { get; init; }
}
