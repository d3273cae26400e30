namespace Tastebuds.Core.Models;

/// <summary>The tuned weights (one per component, in order), their validation NDCG and every trial of the search.</summary>
public sealed record HybridTuning(
    IReadOnlyList<string> Components,
    IReadOnlyList<double> Weights,
    double ValidationNdcg,
    int ValidationUsers,
    IReadOnlyList<HybridTrial> Trials)
{
    /// <summary>Whether production is served from the tuning's fit (<see cref="HybridModel.OneFitMaxHoldoutShare"/>).</summary>
    public bool OneFit { get; init; }

    /// <summary>Share of the input's interactions the one fit's validation holdout would hide (it decides <see cref="OneFit"/>).</summary>
    public double HoldoutShare { get; init; }
}

/// <summary>One weight vector tried on the validation split and its NDCG@k there.</summary>
public sealed record HybridTrial(IReadOnlyList<double> Weights, double Ndcg);
