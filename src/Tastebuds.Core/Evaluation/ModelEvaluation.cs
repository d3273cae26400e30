using System.Diagnostics;
using Tastebuds.Core.Models;

namespace Tastebuds.Core.Evaluation;

/// <summary>
/// Every <see cref="IRecommenderModel"/> and the most-popular baseline on one holdout split (the protocol of
/// <see cref="OfflineEvaluation"/>). Each model is fitted on the split's train part with the side signals minus the
/// tags users put on their test items; nothing else is passed, so no model can see a test item. With
/// <paramref name="validation"/> the train part is split once more (seed <see cref="ValidationSeed"/>) and the
/// methods are scored on that validation split instead: the figures to tune by.
/// </summary>
public static class ModelEvaluation
{
    public static int ValidationSeed(int seed) => unchecked((seed * 31) + 17);

    public static ModelEvaluationResult Run(
        InteractionMatrix full,
        SideSignals side,
        EvaluationOptions options,
        IReadOnlyList<IRecommenderModel> models,
        bool validation,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(full);
        ArgumentNullException.ThrowIfNull(side);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(models);

        var split = HoldoutSplit.Create(full, options.Kind, options.HoldoutFraction, options.MinItemsToEvaluate, options.Seed);
        side = side.Without(split);
        if (validation)
        {
            split = HoldoutSplit.Create(split.Train, options.Kind, options.HoldoutFraction, options.MinItemsToEvaluate, ValidationSeed(options.Seed));
            side = side.Without(split);
        }

        var train = split.Train;
        var kind = options.Kind;
        var trainItems = Enumerable.Range(0, train.ItemCount(kind)).Count(i => !train.HoldersOf(kind, i).IsEmpty);
        var input = new ModelInput(train, kind, side);
        var methods = new List<MethodResult>();
        var fitted = new List<ITrainedModel>();
        foreach (var model in models)
        {
            var clock = Stopwatch.StartNew();
            var trained = model.Fit(input, cancellationToken);
            var lists = ModelRanking.TopAll(trained, options.CutOff, cancellationToken);
            methods.Add(OfflineEvaluation.Summarise(model.Name, split, u => lists[u].Select(r => r.Item).ToArray(),
                options.CutOff, trainItems, clock.Elapsed));
            fitted.Add(trained);
        }

        var baselineClock = Stopwatch.StartNew();
        var popular = OfflineEvaluation.PopularityOrder(train, kind);
        var baseline = split.EvaluatedUsers.ToDictionary(u => u, u => OfflineEvaluation.TopPopular(train, kind, popular, u, options.CutOff));
        methods.Add(OfflineEvaluation.Summarise(OfflineEvaluation.MostPopular, split, u => baseline[u], options.CutOff, trainItems,
            baselineClock.Elapsed));

        var report = new EvaluationReport(full.UserCount, split.EvaluatedUsers.Count,
            split.EvaluatedUsers.Sum(u => split.TestItems(u).Count), trainItems, TimeSpan.Zero, 0, methods);
        return new ModelEvaluationResult(report, split, fitted);
    }
}

/// <summary>The report, the split it was scored on (test, or validation) and the fitted models in order.</summary>
public sealed record ModelEvaluationResult(EvaluationReport Report, HoldoutSplit Split, IReadOnlyList<ITrainedModel> Fitted);
