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

    /// <summary>
    /// p in <c>sim(u,v)^p</c> wherever a similarity weighs evidence (numerator and denominator);
    /// p > 1 lets the closest neighbours count more. Neighbours with a score ≤ 0 never add evidence.
    /// </summary>
    [Range(0.0, 10.0)]
    public double SimilarityExponent { get; init; } = 1.0;

    /// <summary>Divide <c>w(v,t)</c> by ‖w(v)‖ of the recommended kind, so heavy listeners don't outweigh others.</summary>
    public bool NormaliseNeighbourWeights { get; init; }

    [Range(0, int.MaxValue)]
    public int MaxExplanationNeighbours { get; init; } = 5;

    /// <summary>-1 uses every core.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;
}
