using System.ComponentModel.DataAnnotations;

namespace Tastebuds.Core.Evaluation;

/// <summary>The holdout protocol of docs/evaluation.md.</summary>
public sealed record EvaluationOptions
{
    /// <summary>The kind hidden and recommended (tracks, or artists for HetRec).</summary>
    public ItemKind Kind { get; init; } = ItemKind.Track;

    [Range(0.0, 1.0)]
    public double HoldoutFraction { get; init; } = 0.2;

    /// <summary>Users with fewer items of <see cref="Kind"/> keep them all in train and are not evaluated.</summary>
    [Range(2, int.MaxValue)]
    public int MinItemsToEvaluate { get; init; } = 5;

    public int Seed { get; init; } = 42;

    [Range(1, int.MaxValue)]
    public int CutOff { get; init; } = 10;
}
