namespace Tastebuds.Core.Models;

/// <summary>A recommended item (dense index of the kind) with its 1-based rank and score.</summary>
public readonly record struct ModelRecommendation(int Item, int Rank, double Score);
