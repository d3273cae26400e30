namespace Tastebuds.Core.Similarity;

/// <summary>
/// Orders candidates worst first (lower score, then higher user index), so a min-heap of size K
/// keeps the K best with ties going to the lower user index.
/// </summary>
internal sealed class NeighbourOrder : IComparer<(double Score, int User)>
{
    public static readonly NeighbourOrder WorstFirst = new();

    public int Compare((double Score, int User) x, (double Score, int User) y)
    {
        var byScore = x.Score.CompareTo(y.Score);
        return byScore != 0 ? byScore : y.User.CompareTo(x.User);
    }
}
