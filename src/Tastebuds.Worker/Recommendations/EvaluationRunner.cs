using Tastebuds.Core;
using Tastebuds.Core.Evaluation;
using Tastebuds.Core.Models;
using Tastebuds.Worker.Similarity;

namespace Tastebuds.Worker.Recommendations;

/// <summary>
/// Core's <see cref="ModelEvaluation"/> with the configured <c>Algorithm</c> settings (weighting, similarity, scoring):
/// every method of <see cref="ModelCatalogue.All"/> (cosine, Jaccard and Pearson user-kNN, item-kNN, RP3beta, iALS,
/// tags, friends and the hybrid) against the most-popular baseline on one split. Nothing is written anywhere.
/// </summary>
public static class EvaluationRunner
{
    public static EvaluationReport Run(EvaluationData data, AlgorithmOptions settings, double holdout, int cutOff, int seed, CancellationToken ct) =>
        RunModels(data, settings, holdout, cutOff, seed, validation: false, ct).Report;

    /// <param name="validation">Score on a validation split carved from train instead of the test split (for tuning).</param>
    public static ModelEvaluationResult RunModels(EvaluationData data, AlgorithmOptions settings, double holdout, int cutOff, int seed,
        bool validation, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(settings);
        var matrix = InteractionMatrix.Build(data.Rows, settings.ToWeighting());
        var side = SideSignals.Create(matrix, data.Kind, data.Tags, data.Friends);
        var evaluation = new EvaluationOptions { Kind = data.Kind, HoldoutFraction = holdout, CutOff = cutOff, Seed = seed };
        var models = ModelCatalogue.All(settings.ToSimilarityOptions(), settings.ToRecommendationOptions());
        return ModelEvaluation.Run(matrix, side, evaluation, models, validation, ct);
    }
}
