using System.ComponentModel.DataAnnotations;

namespace Tastebuds.Core.Similarity;

/// <summary>
/// Settings of the neighbour search. The interaction weighting (love bonus, play-count
/// transform) belongs to the matrix: see <see cref="WeightingOptions"/>.
/// </summary>
public sealed record SimilarityOptions
{
    /// <summary>α of tracks in the weighted mean of per-kind scores.</summary>
    [Range(0.0, double.MaxValue)]
    public double TrackWeight { get; init; } = 0.5;

    [Range(0.0, double.MaxValue)]
    public double AlbumWeight { get; init; } = 0.2;

    [Range(0.0, double.MaxValue)]
    public double ArtistWeight { get; init; } = 0.3;

    /// <summary>Significance factor <c>min(1, shared / ShrinkageShared)</c>; 0 turns it off.</summary>
    [Range(0.0, double.MaxValue)]
    public double ShrinkageShared { get; init; } = 10;

    /// <summary>Neighbours need a combined score at least this.</summary>
    public double SimilarityThreshold { get; init; } = 0.05;

    [Range(1, int.MaxValue)]
    public int MaxSimilarUsers { get; init; } = 50;

    /// <summary>Neighbours share at least this many items (all kinds together; never fewer than 1).</summary>
    [Range(0, int.MaxValue)]
    public int MinSharedItems { get; init; } = 5;

    /// <summary>-1 uses every core.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    public double KindWeight(ItemKind kind) => kind switch
    {
        ItemKind.Track => TrackWeight,
        ItemKind.Album => AlbumWeight,
        _ => ArtistWeight,
    };
}
