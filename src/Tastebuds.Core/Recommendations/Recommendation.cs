namespace Tastebuds.Core.Recommendations;

/// <summary>
/// A recommended item (dense index of the recommended kind) with its rank (1-based), score,
/// how many neighbours hold it, and the top contributing neighbours (largest amount first).
/// </summary>
public sealed record Recommendation(
    int Item,
    int Rank,
    double Score,
    double Popularity,
    int SupportingNeighbours,
    IReadOnlyList<NeighbourContribution> TopContributors);
