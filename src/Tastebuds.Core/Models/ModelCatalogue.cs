using Tastebuds.Core.Recommendations;
using Tastebuds.Core.Similarity;

namespace Tastebuds.Core.Models;

/// <summary>The methods the evaluation compares, with the settings docs/evaluation.md chose for each.</summary>
public static class ModelCatalogue
{
    public static IReadOnlyList<IRecommenderModel> All(SimilarityOptions similarity, RecommendationOptions scoring)
    {
        var userKnn = new[] { SimilarityMetric.Cosine, SimilarityMetric.Jaccard, SimilarityMetric.Pearson }
            .Select(m => (IRecommenderModel)new UserKnnModel(m, similarity, scoring));
        return [.. userKnn, new ItemKnnModel(), new Rp3BetaModel(), new AlsModel(), new TagModel(), new FriendModel(), Hybrid(similarity, scoring)];
    }

    /// <summary>The blend: iALS, RP3beta, item-kNN, cosine user-kNN, tags and friends.</summary>
    public static HybridModel Hybrid(SimilarityOptions similarity, RecommendationOptions scoring) =>
        new([new AlsModel(), new Rp3BetaModel(), new ItemKnnModel(), new UserKnnModel(SimilarityMetric.Cosine, similarity, scoring),
            new TagModel(), new FriendModel()]);
}
