namespace Tastebuds.Core.Models;

/// <summary>
/// A model fitted on an input that lacks a few users' held-out interactions (the hybrid's validation holdout), able to
/// serve the whole input (the same users and items; only <c>changedUsers</c> have more interactions there) without
/// being fitted again: the hybrid's one fit for tuning and production (docs/algorithms.md "One fit").
/// </summary>
internal interface IServableOnWhole
{
    ITrainedModel ServeOn(ModelInput whole, IReadOnlyList<int> changedUsers, CancellationToken cancellationToken);
}
