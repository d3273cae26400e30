using Tastebuds.Core;
using Tastebuds.Core.Evaluation;
using Tastebuds.Worker.Similarity;

namespace Tastebuds.Worker.Recommendations;

/// <summary>
/// Core's <see cref="OfflineEvaluation"/> with the configured <c>Algorithm</c> settings (weighting, similarity,
/// scoring): cosine, Jaccard and Pearson user-kNN against the most-popular baseline. Nothing is written anywhere.
/// </summary>
public static class EvaluationRunner
{
    public static EvaluationReport Run(EvaluationData data, AlgorithmOptions settings, double holdout, int cutOff, int seed, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(settings);
        var matrix = InteractionMatrix.Build(data.Rows, settings.ToWeighting());
        var evaluation = new EvaluationOptions { Kind = data.Kind, HoldoutFraction = holdout, CutOff = cutOff, Seed = seed };
        return OfflineEvaluation.Run(matrix, evaluation, settings.ToSimilarityOptions(), settings.ToRecommendationOptions(), ct);
    }
}
