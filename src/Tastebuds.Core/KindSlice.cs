namespace Tastebuds.Core;

/// <summary>
/// One item kind in compressed sparse rows: per user a sorted item list with weights,
/// and the inverted index (item to the users holding it) with the same weights.
/// </summary>
internal sealed class KindSlice
{
    public KindSlice(int userCount, long[] itemIds, Dictionary<long, int> itemIndex,
        int[] userOffsets, int[] items, long[] playCounts, bool[] loved, WeightingOptions weighting)
    {
        ItemIds = itemIds;
        ItemIndex = itemIndex;
        UserOffsets = userOffsets;
        Items = items;
        PlayCounts = playCounts;
        Loved = loved;

        // Each row's weights and norm are its own: rows side by side (the same values whatever the threads).
        var weights = Weights = new double[items.Length];
        var norms = Norms = new double[userCount];
        Parallelism.ForRanges(userCount, Parallelism.Options(CancellationToken.None), (first, end) =>
        {
            for (var u = first; u < end; u++)
            {
                var sumSquares = 0.0;
                for (var e = userOffsets[u]; e < userOffsets[u + 1]; e++)
                {
                    var w = weighting.Weight(playCounts[e], loved[e]);
                    weights[e] = w;
                    sumSquares += w * w;
                }

                norms[u] = Math.Sqrt(sumSquares);
            }
        });

        // Inverted index by counting sort: holders of each item come out in ascending user order.
        ItemOffsets = new int[itemIds.Length + 1];
        foreach (var item in items)
        {
            ItemOffsets[item + 1]++;
        }

        for (var i = 0; i < itemIds.Length; i++)
        {
            ItemOffsets[i + 1] += ItemOffsets[i];
        }

        Holders = new int[items.Length];
        HolderWeights = new double[items.Length];
        var next = (int[])ItemOffsets.Clone();
        for (var u = 0; u < userCount; u++)
        {
            for (var e = userOffsets[u]; e < userOffsets[u + 1]; e++)
            {
                var slot = next[items[e]]++;
                Holders[slot] = u;
                HolderWeights[slot] = Weights[e];
            }
        }
    }

    public long[] ItemIds { get; }

    public Dictionary<long, int> ItemIndex { get; }

    public int[] UserOffsets { get; }

    public int[] Items { get; }

    public long[] PlayCounts { get; }

    public bool[] Loved { get; }

    public double[] Weights { get; }

    public double[] Norms { get; }

    public int[] ItemOffsets { get; }

    public int[] Holders { get; }

    public double[] HolderWeights { get; }

    public int Count(int user) => UserOffsets[user + 1] - UserOffsets[user];

    /// <summary>Entry position of <paramref name="item"/> in the user's row, or -1.</summary>
    public int Find(int user, int item)
    {
        var start = UserOffsets[user];
        var found = Array.BinarySearch(Items, start, UserOffsets[user + 1] - start, item);
        return found >= 0 ? found : -1;
    }

    /// <summary>The same slice without the entries where <paramref name="removed"/> is true.</summary>
    public KindSlice Without(bool[] removed, WeightingOptions weighting)
    {
        var userCount = UserOffsets.Length - 1;
        var offsets = new int[userCount + 1];
        var kept = Items.Length - removed.Count(r => r);
        var items = new int[kept];
        var plays = new long[kept];
        var loved = new bool[kept];
        var k = 0;
        for (var u = 0; u < userCount; u++)
        {
            for (var e = UserOffsets[u]; e < UserOffsets[u + 1]; e++)
            {
                if (!removed[e])
                {
                    items[k] = Items[e];
                    plays[k] = PlayCounts[e];
                    loved[k] = Loved[e];
                    k++;
                }
            }

            offsets[u + 1] = k;
        }

        return new KindSlice(userCount, ItemIds, ItemIndex, offsets, items, plays, loved, weighting);
    }
}
