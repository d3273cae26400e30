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
    /// <see cref="PearsonShortlist"/> applies only to a search over at most this many users (default 20,000); above it,
    /// its 2·RescoreFactor·K candidates go to the cosine and Jaccard shortlists instead (<see cref="ShortlistCapacity"/>).
    /// On the generated world its candidates find 2.0 % of the exact Pearson top-50 at 30,000 users and 0.5 % at
    /// 100,000, and the same budget spent on cosine and Jaccard finds more of theirs for no more CPU (recall of the exact
    /// top-50, cosine / Jaccard: 30,000 users 95.9 / 93.4 → 97.8 / 96.7 %, 50,000 88.9 / 83.3 → 92.3 / 86.5 %,
    /// 100,000 75.3 / 65.0 → 79.4 / 66.8 %; docs/benchmarks.md, issue 12, "The Pearson shortlist's budget"). Below the
    /// limit (HetRec's 1,892 users: Pearson's recall 88.9 → 96.2 % with it, P = 100) it stays.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int PearsonShortlistMaxUsers { get; init; } = 20_000;

    /// <summary>True when a pruned search over <paramref name="users"/> users shortlists by Pearson too.</summary>
    public bool PearsonShortlistFor(int users) => PearsonShortlist && users <= PearsonShortlistMaxUsers;

    /// <summary>
    /// How many candidates a pruned search over <paramref name="users"/> users shortlists by cosine and by Jaccard
    /// each: RescoreFactor·K, doubled where the limit leaves Pearson's own shortlist out (its budget handed over).
    /// </summary>
    public int ShortlistCapacity(int users) =>
        RescoreFactor * MaxSimilarUsers * (PearsonShortlist && !PearsonShortlistFor(users) ? 2 : 1);

    /// <summary>
    /// A search over at least this many users takes its candidates from a low-rank embedding instead of the inverted
    /// index (docs/algorithms.md, "Embedding search"); 0 never does.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int EmbeddingMinUsers { get; init; }

    /// <summary>d, the embedding's dimensions.</summary>
    [Range(1, 1024)]
    public int EmbeddingDimensions { get; init; } = 128;

    /// <summary>Per target, this many users of largest ⟨e_u, e_v⟩ in the embedding of the weighted rows are rescored exactly.</summary>
    [Range(0, int.MaxValue)]
    public int EmbeddingCandidates { get; init; } = 1000;

    /// <summary>Per target, this many more from the embedding of the binary rows (each weight 1: Jaccard's shape); 0 builds none.</summary>
    [Range(0, int.MaxValue)]
    public int EmbeddingBinaryCandidates { get; init; } = 1000;

    /// <summary>
    /// With more than 0, each embedding's users are split into this many cells (k-means) and a target scans only its
    /// <see cref="EmbeddingProbes"/> best cells for candidates; 0 scans every user (a cost that grows as users²).
    /// </summary>
    [Range(0, int.MaxValue)]
    public int EmbeddingCells { get; init; } = 512;

    /// <summary>
    /// Cells a target scans (see <see cref="EmbeddingCells"/>). 16 of 512 (3.1 % of the users at 100,000): the recall of
    /// the exact top-50 is 97.2 / 96.9 % (cosine / Jaccard) at 100,000 users, 98.0 / 99.1 % at 50,000 and 97.9 / 99.4 % at
    /// 20,000, against 97.4 / 97.1, 98.6 / 99.4 and 99.0 / 99.8 % for 32; the stage's scan took a quarter to a third less
    /// thread time (a block's targets share most of their cells; docs/benchmarks.md).
    /// </summary>
    [Range(1, int.MaxValue)]
    public int EmbeddingProbes { get; init; } = 16;

    /// <summary>True when a search over <paramref name="users"/> users takes the embedding's candidates.</summary>
    public bool EmbeddingSearchFor(int users) =>
        EmbeddingMinUsers > 0 && users >= EmbeddingMinUsers && (EmbeddingCandidates > 0 || EmbeddingBinaryCandidates > 0);

    /// <summary>-1 uses every core (one worker per core).</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    public double KindWeight(ItemKind kind) => kind switch
    {
        ItemKind.Track => TrackWeight,
        ItemKind.Album => AlbumWeight,
        _ => ArtistWeight,
    };
}
