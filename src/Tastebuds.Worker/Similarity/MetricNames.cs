using Tastebuds.Core;

namespace Tastebuds.Worker.Similarity;

/// <summary>
/// The metric names the schema stores (<c>cosine</c>, <c>jaccard</c>, <c>pearson</c>), which are also the <c>metric</c>
/// metric tag values and the keys of the log rows' details.
/// </summary>
public static class MetricNames
{
    public const string Cosine = "cosine";
    public const string Jaccard = "jaccard";
    public const string Pearson = "pearson";

    /// <summary>Throws for a value outside the enum rather than storing it under another metric's name.</summary>
    public static string Of(SimilarityMetric metric) => metric switch
    {
        SimilarityMetric.Cosine => Cosine,
        SimilarityMetric.Jaccard => Jaccard,
        SimilarityMetric.Pearson => Pearson,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "not a similarity metric"),
    };

    public static SimilarityMetric Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        Cosine => SimilarityMetric.Cosine,
        Jaccard => SimilarityMetric.Jaccard,
        Pearson => SimilarityMetric.Pearson,
        _ => throw new ArgumentException($"Unknown metric '{name}': use cosine, jaccard or pearson.", nameof(name)),
    };
}
