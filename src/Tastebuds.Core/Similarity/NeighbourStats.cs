namespace Tastebuds.Core.Similarity;

/// <summary>What one neighbour computation did.</summary>
/// <param name="PairsEvaluated">
/// Ordered (u, v) pairs scored: every pair sharing an item in the exact search; with pruning, for a pruned target the
/// shortlisted pairs rescored exactly.
/// </param>
public sealed record NeighbourStats(
    int Users,
    long PairsEvaluated,
    long CosineNeighbours,
    long JaccardNeighbours,
    long PearsonNeighbours,
    TimeSpan Elapsed)
{
    /// <summary>Accumulation steps (one per holder visited in the inverted index, plus exact rescoring lookups): the work.</summary>
    public long AccumulationSteps { get; init; }

    /// <summary>Thread time per phase of the search, summed over the workers.</summary>
    public NeighbourPhases Phases { get; init; }

    public long NeighboursKept => CosineNeighbours + JaccardNeighbours + PearsonNeighbours;
}
