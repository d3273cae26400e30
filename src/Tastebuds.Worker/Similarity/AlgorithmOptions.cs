using System.ComponentModel.DataAnnotations;
using Tastebuds.Core;
using Tastebuds.Core.Recommendations;
using Tastebuds.Core.Similarity;
using Tastebuds.Worker.Configuration;
using Tastebuds.Worker.Recommendations;

namespace Tastebuds.Worker.Similarity;

/// <summary>Settings of the <c>Algorithm</c> section: similarity, neighbourhoods and recommendations (formulas in docs/algorithms.md).</summary>
public sealed class AlgorithmOptions : IValidatableObject
{
    public const string SectionName = "Algorithm";

    /// <summary>Lowest combined similarity for a neighbour.</summary>
    [Range(0.0, 1.0, ErrorMessage = Rule.Range)]
    public double SimilarityThreshold { get; set; } = 0.05;

    /// <summary>Neighbours kept per user and metric (K).</summary>
    [Range(1, 1000, ErrorMessage = Rule.Range)]
    public int MaxSimilarUsers { get; set; } = 50;

    /// <summary>Fewest shared items (tracks + albums + artists) for a neighbour.</summary>
    [Range(0, 100_000, ErrorMessage = Rule.Range)]
    public int MinSharedItems { get; set; } = 5;

    /// <summary>Added to a loved item's weight: w = ln(1 + plays) + LoveBonus * loved.</summary>
    [Range(0.0, 100.0, ErrorMessage = Rule.Range)]
    public double LoveBonus { get; set; } = 1.0;

    [Range(0.0, 1.0, ErrorMessage = Rule.Range)]
    public double TrackWeight { get; set; } = 0.5;

    [Range(0.0, 1.0, ErrorMessage = Rule.Range)]
    public double AlbumWeight { get; set; } = 0.2;

    [Range(0.0, 1.0, ErrorMessage = Rule.Range)]
    public double ArtistWeight { get; set; } = 0.3;

    /// <summary>Significance weighting: scores are multiplied by min(1, shared / ShrinkageShared); 0 turns it off.</summary>
    [Range(0, 100_000, ErrorMessage = Rule.Range)]
    public int ShrinkageShared { get; set; } = 10;

    /// <summary>
    /// Pruned search: a target user visits at most this many holders of an item (popular items only), then rescores a
    /// shortlist exactly (docs/algorithms.md, "Pruned search"); bounds the work per user. 0 = the exact search.
    /// </summary>
    [Range(0, 10_000_000, ErrorMessage = Rule.Range)]
    public int MaxHoldersPerItem { get; set; } = 500;

    /// <summary>
    /// A similarity search over at least this many users takes its candidates from low-rank embeddings of the users'
    /// rows instead of the capped posting lists, and rescores them exactly (docs/algorithms.md, "Embedding search");
    /// 0 = never. 20,000: from there the embedding search costs less CPU than the pruned search (20,000 users: 23.4
    /// against 31.7 s; 30,000: 40.9 against 56.1 s; at 10,000 the same, 12.1 against 12.6 s) and finds more of the exact
    /// cosine / Jaccard top-50 (99.4 / 100.0 against 98.2 / 97.1 % at 20,000); above it the pruned search's recall falls
    /// (92.3 / 86.5 % at 50,000 users, 79.4 / 66.8 % at 100,000) and the embedding's holds (97.4 / 97.1 % at 100,000):
    /// docs/benchmarks.md, "Candidates from a low-rank embedding".
    /// </summary>
    [Range(0, int.MaxValue, ErrorMessage = Rule.Range)]
    public int EmbeddingMinUsers { get; set; } = 20_000;

    /// <summary>Metric whose neighbours feed recommendations: cosine, jaccard, pearson, or all (one set per metric).</summary>
    [Required(ErrorMessage = Rule.Required)]
    [OneOf("cosine", "jaccard", "pearson", "all", IgnoreCase = true)]
    public string PrimaryMetric { get; set; } = "cosine";

    /// <summary>
    /// The method of the recommendation stage: <c>userknn</c> (the stored neighbours of <see cref="PrimaryMetric"/>),
    /// <c>item-knn</c>, <c>rp3beta</c>, <c>als</c> or <c>hybrid</c> (iALS + RP3beta, validation-tuned; docs/evaluation.md).
    /// </summary>
    [Required(ErrorMessage = Rule.Required)]
    [OneOf(RecommenderNames.UserKnn, RecommenderNames.ItemKnn, RecommenderNames.Rp3Beta, RecommenderNames.Als, RecommenderNames.Hybrid,
        IgnoreCase = true)]
    public string Recommender { get; set; } = RecommenderNames.Hybrid;

    [Range(1, 1000, ErrorMessage = Rule.Range)]
    public int RecommendationsPerUser { get; set; } = 50;

    [Range(1, 1000, ErrorMessage = Rule.Range)]
    public int MaxTracksPerArtist { get; set; } = 3;

    /// <summary>Weight of the popularity term added to a recommendation's score; 0 = off.</summary>
    [Range(0.0, 10.0, ErrorMessage = Rule.Range)]
    public double PopularityWeight { get; set; } = 0.05;

    /// <summary>Threads for similarity and recommendation work; 0 = one per core.</summary>
    [Range(0, 256, ErrorMessage = Rule.Range)]
    public int MaxDegreeOfParallelism { get; set; }

    public WeightingOptions ToWeighting() => new() { LoveBonus = LoveBonus };

    public SimilarityOptions ToSimilarityOptions() => new()
    {
        SimilarityThreshold = SimilarityThreshold,
        MaxSimilarUsers = MaxSimilarUsers,
        MinSharedItems = MinSharedItems,
        TrackWeight = TrackWeight,
        AlbumWeight = AlbumWeight,
        ArtistWeight = ArtistWeight,
        ShrinkageShared = ShrinkageShared,
        MaxHoldersPerItem = MaxHoldersPerItem,
        EmbeddingMinUsers = EmbeddingMinUsers,
        MaxDegreeOfParallelism = Parallelism,
    };

    public RecommendationOptions ToRecommendationOptions() => new()
    {
        Kind = ItemKind.Track,
        RecommendationsPerUser = RecommendationsPerUser,
        MaxTracksPerArtist = MaxTracksPerArtist,
        PopularityWeight = PopularityWeight,
        MaxDegreeOfParallelism = Parallelism,
    };

    /// <summary>True when the recommendation stage uses the stored neighbours (<c>userknn</c>) rather than a model.</summary>
    public bool UsesNeighbours => string.Equals(Recommender, RecommenderNames.UserKnn, StringComparison.OrdinalIgnoreCase);

    /// <summary>The metrics recommendations are generated for: <see cref="PrimaryMetric"/>, or all three for <c>all</c>.</summary>
    public IReadOnlyList<SimilarityMetric> RecommendationMetrics() =>
        string.Equals(PrimaryMetric, "all", StringComparison.OrdinalIgnoreCase)
            ? [SimilarityMetric.Cosine, SimilarityMetric.Jaccard, SimilarityMetric.Pearson]
            : [MetricNames.Parse(PrimaryMetric)];

    private int Parallelism => MaxDegreeOfParallelism == 0 ? -1 : MaxDegreeOfParallelism;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (TrackWeight + AlbumWeight + ArtistWeight <= 0)
        {
            yield return new ValidationResult(
                $"TrackWeight + AlbumWeight + ArtistWeight = {TrackWeight + AlbumWeight + ArtistWeight}: at least one kind weight must be above 0",
                []);
        }
    }
}
