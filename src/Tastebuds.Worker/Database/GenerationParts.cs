namespace Tastebuds.Worker.Database;

/// <summary>
/// The parts of a generation being written (<see cref="StagedTableSwap"/>), each a range of the partition key with its
/// own COPY on its own connection: a caller writes each row into the part of its key, from one thread per part or, with
/// rows in key order, from one thread completing each part as it passes it.
/// </summary>
public sealed class GenerationParts
{
    private readonly IReadOnlyList<GenerationPart> _parts;
    private readonly IReadOnlyList<long> _splits;

    internal GenerationParts(IReadOnlyList<GenerationPart> parts, IReadOnlyList<long> splits)
    {
        _parts = parts;
        _splits = splits;
    }

    public int Count => _parts.Count;

    /// <summary>
    /// At most <paramref name="count"/> consecutive ranges of <paramref name="keys"/> keys (taken in key order) holding
    /// about as many rows each, each with at least one key; one, empty, when there are no keys. The first key of each range
    /// after the first is where its part begins (the swap's splits).
    /// </summary>
    public static Range[] Balanced(int keys, Func<int, int> rowsOf, int count)
    {
        ArgumentNullException.ThrowIfNull(rowsOf);
        var rows = new int[keys];
        var total = 0L;
        for (var n = 0; n < keys; n++)
        {
            rows[n] = rowsOf(n);
            total += rows[n];
        }

        var ranges = new List<Range>();
        var (start, sum) = (0, 0L);
        for (var n = 0; n + 1 < keys && ranges.Count < count - 1; n++)
        {
            sum += rows[n];
            // A range is closed once it holds its share of the rows.
            if (sum * count >= total * (ranges.Count + 1))
            {
                ranges.Add(start..(n + 1));
                start = n + 1;
            }
        }

        ranges.Add(start..keys);
        return [.. ranges];
    }

    /// <summary>Part <paramref name="part"/>'s COPY: one writer at a time.</summary>
    public BinaryCopyRows this[int part] => _parts[part].Rows;

    /// <summary>The part whose range holds <paramref name="key"/>.</summary>
    public int PartOf(long key)
    {
        var lo = 0;
        var hi = _splits.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (_splits[mid] <= key)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>
    /// Every row of part <paramref name="part"/> is written: its COPY ends and its keys, foreign keys and statistics are
    /// built while the other parts are still written. Parts not completed by the caller are completed when it returns.
    /// </summary>
    public void Complete(int part) => _parts[part].Complete();
}
