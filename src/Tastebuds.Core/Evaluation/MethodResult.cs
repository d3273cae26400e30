namespace Tastebuds.Core.Evaluation;

/// <summary>
/// Mean metrics of one method over the evaluated users. <see cref="Elapsed"/> is the wall time of
/// the method: for the kNN measures the shared neighbour pass plus their own scoring.
/// </summary>
public sealed record MethodResult(
    string Method,
    double Precision,
    double Recall,
    double Ndcg,
    double Map,
    double HitRate,
    double Coverage,
    TimeSpan Elapsed);
