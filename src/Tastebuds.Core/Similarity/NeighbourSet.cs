namespace Tastebuds.Core.Similarity;

/// <summary>Every user's neighbours for every metric, best first.</summary>
public sealed class NeighbourSet
{
    private readonly NeighbourRow[][][] _byMetric;

    internal NeighbourSet(NeighbourRow[][][] byMetric, NeighbourStats stats)
    {
        _byMetric = byMetric;
        Stats = stats;
    }

    public NeighbourStats Stats { get; }

    public int UserCount => _byMetric[0].Length;

    /// <summary>Neighbours of <paramref name="user"/>: score descending, then user index ascending.</summary>
    /// <remarks>Materialised on each call from the compact rows the set holds: read each list once where it matters.</remarks>
    public IReadOnlyList<Neighbour> Of(int user, SimilarityMetric metric) => Array.ConvertAll(_byMetric[(int)metric][user], r => r.ToNeighbour());

    /// <summary>The compact rows of <see cref="Of"/>, in the same order, without an object per neighbour.</summary>
    public ReadOnlySpan<NeighbourRow> RowsOf(int user, SimilarityMetric metric) => _byMetric[(int)metric][user];

    /// <summary>How many neighbours <paramref name="user"/> has for <paramref name="metric"/> (no list materialised).</summary>
    public int CountOf(int user, SimilarityMetric metric) => _byMetric[(int)metric][user].Length;

    /// <summary>
    /// A set rebuilt from stored neighbours (e.g. the <c>user_similarities</c> table), with user indices of the
    /// matrix it will be used with. Each list is put in the order <see cref="NeighbourFinder"/> produces (score
    /// descending, ties to the lower user index); users and metrics without rows get no neighbours.
    /// <see cref="NeighbourStats.PairsEvaluated"/> is 0: nothing was evaluated here.
    /// </summary>
    public static NeighbourSet FromStored(int userCount, IEnumerable<StoredNeighbour> rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(userCount);
        ArgumentNullException.ThrowIfNull(rows);
        var lists = new List<Neighbour>?[3][];
        for (var m = 0; m < lists.Length; m++)
        {
            lists[m] = new List<Neighbour>?[userCount];
        }

        foreach (var row in rows)
        {
            if ((uint)row.User >= (uint)userCount || (uint)row.Neighbour.User >= (uint)userCount || row.User == row.Neighbour.User)
            {
                throw new ArgumentException($"Stored neighbour {row.User} → {row.Neighbour.User} is outside 0..{userCount - 1} or the user itself.", nameof(rows));
            }

            (lists[(int)row.Metric][row.User] ??= []).Add(row.Neighbour);
        }

        var byMetric = new NeighbourRow[3][][];
        for (var m = 0; m < byMetric.Length; m++)
        {
            byMetric[m] = lists[m]
                .Select(l => l is null ? [] : l.OrderByDescending(n => n.Score).ThenBy(n => n.User).Select(NeighbourRow.Of).ToArray())
                .ToArray();
        }

        var stats = new NeighbourStats(userCount, 0,
            byMetric[0].Sum(l => (long)l.Length), byMetric[1].Sum(l => (long)l.Length), byMetric[2].Sum(l => (long)l.Length),
            TimeSpan.Zero);
        return new NeighbourSet(byMetric, stats);
    }
}

/// <summary>One stored neighbour of <paramref name="User"/> for <paramref name="Metric"/>, in dense user indices.</summary>
public readonly record struct StoredNeighbour(SimilarityMetric Metric, int User, Neighbour Neighbour);
