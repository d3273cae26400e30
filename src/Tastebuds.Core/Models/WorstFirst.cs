namespace Tastebuds.Core.Models;

/// <summary>Orders (score, item) so that the worse one comes first: lower score, or equal score and higher item.</summary>
internal sealed class WorstFirst : IComparer<(double Score, int Item)>
{
    public static readonly WorstFirst Instance = new();

    public int Compare((double Score, int Item) x, (double Score, int Item) y) =>
        x.Score != y.Score ? x.Score.CompareTo(y.Score) : y.Item.CompareTo(x.Item);
}
