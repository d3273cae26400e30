using Tastebuds.Core;
using Tastebuds.Core.Models;

namespace Tastebuds.Worker.Recommendations;

/// <summary>
/// The values of <c>Algorithm:Recommender</c> and the Core model each one runs. The model methods store their rows under
/// their own name in <c>collaborative_recommendations.metric</c>; <c>userknn</c> stores them under the similarity
/// measure (<c>cosine</c>, <c>jaccard</c>, <c>pearson</c>).
/// </summary>
public static class RecommenderNames
{
    public const string UserKnn = "userknn";
    public const string ItemKnn = ItemKnnModel.MethodName;
    public const string Rp3Beta = Rp3BetaModel.MethodName;
    public const string Als = AlsModel.MethodName;
    public const string Hybrid = HybridModel.MethodName;

    /// <summary>
    /// The model of a model method. The production hybrid blends iALS and RP3beta, plus the tag scorer when the input
    /// carries personal tags and the friend scorer when it carries friendships (0.2440 mean NDCG@10 on HetRec without
    /// them, 0.2539 with both: docs/evaluation.md); its weights are tuned on a validation split of the input.
    /// </summary>
    public static IRecommenderModel ModelOf(string recommender, SideSignals side, int maxDegreeOfParallelism)
    {
        ArgumentNullException.ThrowIfNull(side);
        return recommender.Trim().ToLowerInvariant() switch
        {
            ItemKnn => new ItemKnnModel(),
            Rp3Beta => new Rp3BetaModel(),
            Als => new AlsModel { MaxDegreeOfParallelism = maxDegreeOfParallelism },
            Hybrid => new HybridModel([
                ModelCatalogue.HybridAls with { MaxDegreeOfParallelism = maxDegreeOfParallelism }, ModelCatalogue.HybridRp3Beta,
                .. side.TagCount > 0 ? [ModelCatalogue.HybridTags] : Array.Empty<IRecommenderModel>(),
                .. side.HasFriends ? [new FriendModel()] : Array.Empty<IRecommenderModel>()]),
            _ => throw new ArgumentException(
                $"Algorithm:Recommender = '{recommender}' is not a model method: use {ItemKnn}, {Rp3Beta}, {Als} or {Hybrid}.", nameof(recommender)),
        };
    }

    /// <summary>The track kind the production stage recommends.</summary>
    public static ItemKind Kind => ItemKind.Track;
}
