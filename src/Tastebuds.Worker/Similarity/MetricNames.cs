using Tastebuds.Core;

namespace Tastebuds.Worker.Similarity;

/// <summary>The metric names the schema stores (<c>cosine</c>, <c>jaccard</c>, <c>pearson</c>).</summary>
public static class MetricNames
{
    public static string Of(SimilarityMetric metric) => metric switch
    {
        SimilarityMetric.Cosine => "cosine",
        SimilarityMetric.Jaccard => "jaccard",
        _ => "pearson",
    };

    public static SimilarityMetric Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "cosine" => SimilarityMetric.Cosine,
        "jaccard" => SimilarityMetric.Jaccard,
        "pearson" => SimilarityMetric.Pearson,
        _ => throw new ArgumentException($"Unknown metric '{name}': use cosine, jaccard or pearson.", nameof(name)),
    };

    public static bool TryParse(string? name, out SimilarityMetric metric)
    {
        metric = SimilarityMetric.Cosine;
        if (name is null || name.Trim().ToLowerInvariant() is not ("cosine" or "jaccard" or "pearson"))
        {
            return false;
        }

        metric = Parse(name);
        return true;
    }
}
