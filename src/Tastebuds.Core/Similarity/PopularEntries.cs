namespace Tastebuds.Core.Similarity;

/// <summary>
/// For one kind and a cap P: each user's entries of popular items (held by more than P users), as compressed rows
/// with their weights. The exact rescoring of a pruned target's shortlist walks only these: the sums over the other
/// items are already exact after the capped pass, because their posting lists were visited whole. Popular items are
/// renumbered 0..<see cref="Count"/>-1 in item order, so the target's marks fit in a small array (L1, not a miss per look-up).
/// </summary>
internal sealed class PopularEntries
{
    private PopularEntries(int count, int[] offsets, int[] items, double[] weights)
    {
        Count = count;
        Offsets = offsets;
        Items = items;
        Weights = weights;
    }

    /// <summary>User u's popular entries are <c>Offsets[u] .. Offsets[u + 1] - 1</c>.</summary>
    public int[] Offsets { get; }

    /// <summary>Popular items of the kind.</summary>
    public int Count { get; }

    /// <summary>Per entry: the item's number among the popular items (0..<see cref="Count"/>-1), ascending in each row.</summary>
    public int[] Items { get; }

    public double[] Weights { get; }

    public static PopularEntries Of(KindSlice slice, int cap)
    {
        var users = slice.UserOffsets.Length - 1;
        var renumbered = new int[slice.ItemIds.Length];
        var count = 0;
        for (var item = 0; item < renumbered.Length; item++)
        {
            renumbered[item] = IsPopular(slice, item, cap) ? count++ : -1;
        }

        var offsets = new int[users + 1];
        for (var u = 0; u < users; u++)
        {
            var kept = 0;
            for (var e = slice.UserOffsets[u]; e < slice.UserOffsets[u + 1]; e++)
            {
                kept += renumbered[slice.Items[e]] >= 0 ? 1 : 0;
            }

            offsets[u + 1] = offsets[u] + kept;
        }

        var items = new int[offsets[users]];
        var weights = new double[offsets[users]];
        var at = 0;
        for (var e = 0; e < slice.Items.Length; e++)
        {
            var popular = renumbered[slice.Items[e]];
            if (popular >= 0)
            {
                items[at] = popular;
                weights[at] = slice.Weights[e];
                at++;
            }
        }

        return new PopularEntries(count, offsets, items, weights);
    }

    public static bool IsPopular(KindSlice slice, int item, int cap) =>
        cap > 0 && slice.ItemOffsets[item + 1] - slice.ItemOffsets[item] > cap;
}
