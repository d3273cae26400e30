namespace Tastebuds.Core.Evaluation;

/// <summary>One user's ranking metrics at a cut-off.</summary>
public readonly record struct RankingScores(int Hits, double Precision, double Recall, double Ndcg, double AveragePrecision);
