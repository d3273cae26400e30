namespace Tastebuds.Core.Models;

/// <summary>
/// A fitted model that scores several users in one pass over its item data: when that data outgrows the caches
/// (iALS's item factors at 200,000 tracks are 51 MB) the pass is bound by memory, not arithmetic.
/// </summary>
public interface IBatchScorer
{
    /// <summary><see cref="ITrainedModel.Score"/> for each user into the buffer of the same position (zeroed by the caller).</summary>
    void ScoreBatch(ReadOnlySpan<int> users, double[][] scores);
}
