namespace Tastebuds.Core.Similarity;

/// <summary>Every user's neighbours for every metric, best first.</summary>
public sealed class NeighbourSet
{
    private readonly Neighbour[][][] _byMetric;

    internal NeighbourSet(Neighbour[][][] byMetric, NeighbourStats stats)
    {
        _byMetric = byMetric;
        Stats = stats;
    }

    public NeighbourStats Stats { get; }

    public int UserCount => _byMetric[0].Length;

    /// <summary>Neighbours of <paramref name="user"/>: score descending, then user index ascending.</summary>
    public IReadOnlyList<Neighbour> Of(int user, SimilarityMetric metric) => _byMetric[(int)metric][user];
}
