namespace Tastebuds.Core.Recommendations;

/// <summary>Every user's recommendations for one metric, best first.</summary>
public sealed class RecommendationSet
{
    private readonly Recommendation[][] _byUser;

    internal RecommendationSet(SimilarityMetric metric, ItemKind kind, Recommendation[][] byUser, TimeSpan elapsed)
    {
        Metric = metric;
        Kind = kind;
        _byUser = byUser;
        Elapsed = elapsed;
    }

    public SimilarityMetric Metric { get; }

    public ItemKind Kind { get; }

    public TimeSpan Elapsed { get; }

    public int UserCount => _byUser.Length;

    public IReadOnlyList<Recommendation> For(int user) => _byUser[user];
}
