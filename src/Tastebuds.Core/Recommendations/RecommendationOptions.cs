using System.ComponentModel.DataAnnotations;

namespace Tastebuds.Core.Recommendations;

/// <summary>Settings of recommendation scoring (see docs/algorithms.md).</summary>
public sealed record RecommendationOptions
{
    /// <summary>The kind of item recommended: tracks in production, artists for HetRec.</summary>
    public ItemKind Kind { get; init; } = ItemKind.Track;

    [Range(1, int.MaxValue)]
    public int RecommendationsPerUser { get; init; } = 50;

    /// <summary>Cap per artist group; applies only when an artist-of-track array is given.</summary>
    [Range(1, int.MaxValue)]
    public int MaxTracksPerArtist { get; init; } = 3;

    /// <summary>Weight of <c>pop(t) = ln(1 + n_t) / ln(1 + N)</c>; 0 turns it off.</summary>
    [Range(0.0, double.MaxValue)]
    public double PopularityWeight { get; init; } = 0.05;

    [Range(0, int.MaxValue)]
    public int MaxExplanationNeighbours { get; init; } = 5;

    /// <summary>-1 uses every core.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;
}
