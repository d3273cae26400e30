namespace Tastebuds.Core;

/// <summary>The user-user similarity measures computed in one pass (see docs/algorithms.md).</summary>
public enum SimilarityMetric
{
    Cosine = 0,
    Jaccard = 1,
    Pearson = 2,
}
