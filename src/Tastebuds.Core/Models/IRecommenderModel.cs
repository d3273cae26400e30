namespace Tastebuds.Core.Models;

/// <summary>
/// A recommendation method: fitted once on a <see cref="ModelInput"/>, then asked per user. Every method of
/// docs/algorithms.md (user-kNN, item-kNN, RP3beta, iALS, tags, friends, hybrid) sits behind this.
/// </summary>
public interface IRecommenderModel
{
    /// <summary>The method's name as the evaluation and the <c>metric</c> column show it.</summary>
    string Name { get; }

    ITrainedModel Fit(ModelInput input, CancellationToken cancellationToken);
}

/// <summary>A fitted model: thread-safe, scores every item of the kind for a user, and explains an item.</summary>
public interface ITrainedModel
{
    string Name { get; }

    ModelInput Input { get; }

    /// <summary>
    /// Writes one score per item of the kind into <paramref name="scores"/> (length <see cref="ModelInput.ItemCount"/>):
    /// higher is better, and an item scoring ≤ 0 has no evidence and is never recommended.
    /// </summary>
    void Score(int user, Span<double> scores);

    /// <summary>Why <paramref name="item"/> scores for <paramref name="user"/>, largest contributions first.</summary>
    ModelExplanation Explain(int user, int item);

    /// <summary>
    /// <see cref="Explain"/> for each of a user's recommended items; models with per-user work (the hybrid's
    /// scaling, iALS's factorisation) do it once.
    /// </summary>
    IReadOnlyList<ModelExplanation> ExplainAll(int user, IReadOnlyList<int> items) => [.. items.Select(i => Explain(user, i))];
}
