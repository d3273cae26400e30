namespace Tastebuds.Core.Similarity;

/// <summary>What one neighbour computation did.</summary>
/// <param name="PairsEvaluated">Ordered (u, v) pairs sharing at least one item, i.e. pairs accumulated.</param>
public sealed record NeighbourStats(
    int Users,
    long PairsEvaluated,
    long CosineNeighbours,
    long JaccardNeighbours,
    long PearsonNeighbours,
    TimeSpan Elapsed)
{
    public long NeighboursKept => CosineNeighbours + JaccardNeighbours + PearsonNeighbours;
}
