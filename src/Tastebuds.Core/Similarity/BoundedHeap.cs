namespace Tastebuds.Core.Similarity;

/// <summary>
/// The best <c>capacity</c> candidates offered (score descending, ties to the lower user index: <see cref="NeighbourOrder"/>),
/// as a binary min-heap of (score, user, slot) structs in one array with the worst at the root. A plain array and an
/// inlined comparison instead of <see cref="PriorityQueue{TElement, TPriority}"/> with tuple priorities behind an
/// <see cref="IComparer{T}"/>: the shortlist offers thousands of candidates a target. The order is total (users are
/// distinct), so the kept set and its order do not depend on the order of the offers.
/// </summary>
internal sealed class BoundedHeap
{
    private Entry[] _entries = new Entry[64];

    public int Count { get; private set; }

    /// <summary>The worst kept score (meaningful when <see cref="Count"/> is above 0): an offer below it cannot be kept once full.</summary>
    public double WorstScore => _entries[0].Score;

    /// <summary>Keeps (score, user, slot) if fewer than <paramref name="capacity"/> are kept or it beats the worst kept.</summary>
    public void Offer(int slot, double score, int user, int capacity)
    {
        if (Count < capacity)
        {
            if (Count == _entries.Length)
            {
                Array.Resize(ref _entries, _entries.Length * 2);
            }

            SiftUp(Count++, new Entry(score, user, slot));
        }
        else if (Count > 0 && Worse(_entries[0], score, user))
        {
            SiftDown(0, new Entry(score, user, slot));
        }
    }

    /// <summary>The kept slots in no particular order (valid until the next change).</summary>
    public ReadOnlySpan<Entry> Unordered => _entries.AsSpan(0, Count);

    /// <summary>Removes and returns the worst kept slot.</summary>
    public int PopWorst()
    {
        var worst = _entries[0].Slot;
        var last = _entries[--Count];
        if (Count > 0)
        {
            SiftDown(0, last);
        }

        return worst;
    }

    public void Clear() => Count = 0;

    /// <summary>True when <paramref name="a"/> ranks below (score, user): a lower score, or the same score and a higher user.</summary>
    private static bool Worse(in Entry a, double score, int user)
    {
        var byScore = a.Score.CompareTo(score);
        return byScore != 0 ? byScore < 0 : a.User > user;
    }

    private void SiftUp(int at, Entry entry)
    {
        var entries = _entries;
        while (at > 0)
        {
            var parent = (at - 1) >> 1;
            if (!Worse(entry, entries[parent].Score, entries[parent].User))
            {
                break;
            }

            entries[at] = entries[parent];
            at = parent;
        }

        entries[at] = entry;
    }

    private void SiftDown(int at, Entry entry)
    {
        var entries = _entries;
        var count = Count;
        while (true)
        {
            var child = (2 * at) + 1;
            if (child >= count)
            {
                break;
            }

            if (child + 1 < count && Worse(entries[child + 1], entries[child].Score, entries[child].User))
            {
                child++;
            }

            if (!Worse(entries[child], entry.Score, entry.User))
            {
                break;
            }

            entries[at] = entries[child];
            at = child;
        }

        entries[at] = entry;
    }

    public readonly record struct Entry(double Score, int User, int Slot);
}
