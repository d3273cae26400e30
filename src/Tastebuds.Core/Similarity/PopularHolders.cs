namespace Tastebuds.Core.Similarity;

/// <summary>
/// For one kind and a cap P: the P holders of each popular item (more than P holders) whose normalised weight y / ‖v‖
/// on it is highest (ties to the lower user index), in ascending user order, with their weights. A pruned target
/// visits these instead of all the item's holders: the pairs a popular item adds most cosine to, x/‖u‖ · y/‖v‖, are the
/// ones where it weighs most in v's vector, so the estimate keeps the largest terms of the dot product and drops the
/// smallest (an impact-ordered, statically pruned posting list). Popular items are numbered as in
/// <see cref="PopularEntries"/> (item order).
/// </summary>
internal sealed class PopularHolders
{
    private PopularHolders(int cap, int[] popularOf, int[] holders, double[] weights)
    {
        Cap = cap;
        PopularOf = popularOf;
        Holders = holders;
        Weights = weights;
    }

    public int Cap { get; }

    /// <summary>Per item: its number among the popular items, or -1.</summary>
    public int[] PopularOf { get; }

    /// <summary>Popular item p's kept holders are <c>Holders[p · Cap .. p · Cap + Cap - 1]</c>.</summary>
    public int[] Holders { get; }

    public double[] Weights { get; }

    public static PopularHolders Of(KindSlice slice, int cap)
    {
        var items = slice.ItemIds.Length;
        var popularOf = new int[items];
        var count = 0;
        for (var item = 0; item < items; item++)
        {
            popularOf[item] = PopularEntries.IsPopular(slice, item, cap) ? count++ : -1;
        }

        var holders = new int[count * cap];
        var weights = new double[count * cap];
        // Items are independent (each writes its own Cap slots): sorted in parallel, a buffer per worker.
        Parallel.For(0, items, Parallelism.Options(CancellationToken.None), () => Array.Empty<(double Impact, int Position)>(), (item, _, keys) =>
        {
            var p = popularOf[item];
            if (p < 0)
            {
                return keys;
            }

            var start = slice.ItemOffsets[item];
            var df = slice.ItemOffsets[item + 1] - start;
            if (keys.Length < df)
            {
                keys = new (double, int)[df];
            }

            // Descending by impact, ties to the earlier position (holders are in ascending user order): unique keys.
            for (var h = 0; h < df; h++)
            {
                var norm = slice.Norms[slice.Holders[start + h]];
                keys[h] = (norm > 0 ? -slice.HolderWeights[start + h] / norm : 0.0, h);
            }

            Array.Sort(keys, 0, df);
            var kept = keys.AsSpan(0, cap);
            kept.Sort((a, b) => a.Position.CompareTo(b.Position));
            for (var i = 0; i < cap; i++)
            {
                holders[(p * cap) + i] = slice.Holders[start + kept[i].Position];
                weights[(p * cap) + i] = slice.HolderWeights[start + kept[i].Position];
            }

            return keys;
        }, _ => { });

        return new PopularHolders(cap, popularOf, holders, weights);
    }
}
