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

    /// <summary>
    /// Items held by more than this many users are popular: a target user's accumulation visits only this many of
    /// their holders (the ones the item weighs most for, y / ‖v‖: <see cref="PopularHolders"/>), and the shortlist so found is
    /// rescored exactly (see docs/algorithms.md, "Pruned search"). 0 visits every holder: the exact search.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int MaxHoldersPerItem { get; init; }

    /// <summary>Per metric, this many times <see cref="MaxSimilarUsers"/> candidates are rescored exactly after a pruned accumulation.</summary>
    [Range(1, 100)]
    public int RescoreFactor { get; init; } = 8;

    /// <summary>
    /// With pruning, also shortlist the 2·RescoreFactor·K best candidates by Pearson over their unpopular shared items
    /// (HetRec, P = 100: Pearson's recall of the exact top-50 from 88.9 % to 96.2 %, for 34 % more pairs rescored).
    /// </summary>
    public bool PearsonShortlist { get; init; } = true;

    /// <summary>
    /// <see cref="PearsonShortlist"/> applies only to a search over at most this many users (default: at every scale).
    /// At 100,000 users on the generated world its 2·RescoreFactor·K candidates find only 0.5 % of the exact Pearson
    /// top-50 but carry cosine's and Jaccard's recall (75.3 / 65.0 % with them, 66.7 / 51.8 % without) for about 40 % of
    /// the compute: a deployment may trade that recall for the CPU with a limit (docs/benchmarks.md, issue 12, branch sim-fast).
    /// </summary>
    [Range(0, int.MaxValue)]
    public int PearsonShortlistMaxUsers { get; init; } = int.MaxValue;

    /// <summary>True when a pruned search over <paramref name="users"/> users shortlists by Pearson too.</summary>
    public bool PearsonShortlistFor(int users) => PearsonShortlist && users <= PearsonShortlistMaxUsers;

    /// <summary>-1 uses every core (one worker per core).</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    public double KindWeight(ItemKind kind) => kind switch
    {
        ItemKind.Track => TrackWeight,
        ItemKind.Album => AlbumWeight,
        _ => ArtistWeight,
    };
}
