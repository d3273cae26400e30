using Tastebuds.Core;

namespace Tastebuds.Worker.NewUsers;

/// <summary>
/// One row of <c>user_vector_stats</c>: raw sums over a user's items of one kind, from which the norm of any
/// weighting follows: with w = f(p) + b·loved, ‖w‖² = Σ f(p)² + 2b·Σ_loved f(p) + b²·loved.
/// </summary>
internal readonly record struct StoredVectorStats(
    int Items, int Loved, int Played, int PlayedLoved, double SumLogSquares, double SumLogLoved, double SumRawSquares, double SumRawLoved)
{
    public double Norm(WeightingOptions weighting)
    {
        var (squares, lovedPart) = weighting.Transform switch
        {
            PlayCountTransform.Raw => (SumRawSquares, SumRawLoved),
            PlayCountTransform.Binary => ((double)Played, (double)PlayedLoved),
            _ => (SumLogSquares, SumLogLoved),
        };
        var b = weighting.LoveBonus;
        return Math.Sqrt(Math.Max(0.0, squares + (2 * b * lovedPart) + (b * b * Loved)));
    }
}
