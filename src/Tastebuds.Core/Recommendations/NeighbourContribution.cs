namespace Tastebuds.Core.Recommendations;

/// <summary>
/// One neighbour's part in a recommendation: <c>Amount = Similarity · w(v,t) / Σ sim(u,·)</c>.
/// </summary>
public sealed record NeighbourContribution(int Neighbour, double Similarity, long PlayCount, bool Loved, double Amount);
