namespace Tastebuds.Worker.Similarity;

/// <summary>What a similarity run did. <see cref="RowsWritten"/> = the rows <c>user_similarities</c> now holds.</summary>
public sealed record SimilarityResult(
    Guid RunId,
    int Users,
    long Interactions,
    long PairsEvaluated,
    long CosineNeighbours,
    long JaccardNeighbours,
    long PearsonNeighbours,
    long RowsWritten,
    DateTimeOffset ComputedAt,
    TimeSpan LoadTime,
    TimeSpan ComputeTime,
    TimeSpan WriteTime,
    TimeSpan Elapsed);
