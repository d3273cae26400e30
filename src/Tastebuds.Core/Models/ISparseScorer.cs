namespace Tastebuds.Core.Models;

/// <summary>
/// A fitted model whose scores for a user are non-zero on a few items only (a neighbourhood, a tag or friend
/// profile): <see cref="ITrainedModel.Score"/> without the pass over the whole catalogue.
/// </summary>
internal interface ISparseScorer
{
    /// <summary>Adds the user's non-zero scores into <paramref name="scores"/> (cleared by the caller).</summary>
    void ScoreSparse(int user, SparseScores scores);
}

/// <summary>A fitted model that scores any listed items directly (iALS: one dot product per item).</summary>
internal interface ICandidateScorer
{
    /// <summary><see cref="ITrainedModel.Score"/> of <paramref name="items"/>[n] into <paramref name="scores"/>[n].</summary>
    void ScoreItems(int user, ReadOnlySpan<int> items, Span<double> scores);
}

/// <summary>A fitted model that ranks a user's candidates itself (the hybrid), without a score per catalogue item.</summary>
internal interface ICandidateRanker
{
    /// <summary>As <see cref="ModelRanking.Top(ITrainedModel, int, int, long[], int)"/>, never recommending <paramref name="excluded"/>.</summary>
    ModelRecommendation[] Top(int user, int count, long[]? groupOfItem, int maxPerGroup, int[]? excluded);

    /// <summary><see cref="Top"/> and the explanations of its first <paramref name="explain"/> items, from one pass over the candidates.</summary>
    (ModelRecommendation[] List, IReadOnlyList<ModelExplanation> Reasons) TopExplained(int user, int count, long[]? groupOfItem, int maxPerGroup,
        int[]? excluded, int explain);
}
