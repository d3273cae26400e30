namespace Tastebuds.Core.Models;

/// <summary>A user's top list and the explanations of its first items, in list order (<see cref="ModelRanking.TopAllExplained"/>).</summary>
public sealed record RankedList(IReadOnlyList<ModelRecommendation> Items, IReadOnlyList<ModelExplanation> Reasons);
