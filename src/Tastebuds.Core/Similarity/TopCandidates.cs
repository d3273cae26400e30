namespace Tastebuds.Core.Similarity;

/// <summary>
/// The best <c>capacity</c> users offered by score (descending, ties to the lower user index: the order of
/// <see cref="BoundedHeap"/>), for the embedding search's candidate scan, where a target offers thousands of users and
/// keeps a thousand. Each offer is one 64-bit key (the score's bits made orderable, then the user's index inverted)
/// appended to a buffer; when the buffer holds twice the capacity, it is pruned (<see cref="Prune"/>: the keys below a
/// pivot sampled from the buffer dropped in one pass, at least <c>capacity</c> kept) and the floor below which offers are
/// dropped is raised; <see cref="Finish"/> cuts to exactly the best <c>capacity</c> by a quickselect. Adding costs O(1)
/// amortised instead of a heap's O(log capacity) sift, and the kept set is the same as a heap's (the order is total:
/// users are distinct; a key dropped on the way is below at least <c>capacity</c> others).
/// </summary>
internal sealed class TopCandidates
{
    private ulong[] _keys = new ulong[256];
    private int _capacity;
    private ulong _floorKey;

    public int Count { get; private set; }

    /// <summary>Scores below this cannot be kept (−∞ until the first cut): a cheap test before <see cref="Add"/>.</summary>
    public float Floor { get; private set; } = float.NegativeInfinity;

    /// <summary>Empties the set and keeps at most <paramref name="capacity"/> from now on.</summary>
    public void Reset(int capacity)
    {
        _capacity = capacity;
        Count = 0;
        _floorKey = 0;
        Floor = float.NegativeInfinity;
        if (_keys.Length < 2 * capacity)
        {
            _keys = new ulong[2 * capacity];
        }
    }

    public void Add(float score, int user)
    {
        var key = Key(score, user);
        if (key < _floorKey || _capacity == 0)
        {
            return;
        }

        if (Count == 2 * _capacity)
        {
            Prune();
            if (key < _floorKey)
            {
                return;
            }
        }

        _keys[Count++] = key;
    }

    /// <summary>Cuts the set to its best <c>capacity</c> and returns their users, in no particular order.</summary>
    public ReadOnlySpan<ulong> Finish()
    {
        if (Count > _capacity)
        {
            Cut();
        }

        return _keys.AsSpan(0, Count);
    }

    /// <summary>The user of a key returned by <see cref="Finish"/>.</summary>
    public static int UserOf(ulong key) => (int)~(uint)key;

    /// <summary>
    /// Larger is better: the float's bits mapped so that unsigned order is numeric order (−0 taken as +0, as a float
    /// comparison sees them), then the user's index inverted so that the lower index wins a tie.
    /// </summary>
    internal static ulong Key(float score, int user)
    {
        var bits = BitConverter.SingleToUInt32Bits(score == 0f ? 0f : score);
        var ordered = (bits & 0x8000_0000u) != 0 ? ~bits : bits | 0x8000_0000u;
        return ((ulong)ordered << 32) | ~(uint)user;
    }

    private static float ScoreOf(ulong key)
    {
        var ordered = (uint)(key >> 32);
        return BitConverter.UInt32BitsToSingle((ordered & 0x8000_0000u) != 0 ? ordered & 0x7FFF_FFFFu : ~ordered);
    }

    /// <summary>Keys in the sample that <see cref="Prune"/> takes its pivot from.</summary>
    private const int Sample = 64;

    /// <summary>
    /// Drops every key below a pivot such that at least <c>capacity</c> keys are not below it, the pivot becoming the
    /// floor: the pivot is the key of rank 38 from the top among 64 taken at even strides (so about 59 % of the buffer, 1.2
    /// times the capacity, is kept), counted first and kept by one branch-free pass. A pivot that would keep fewer than the
    /// capacity, or so many that the buffer would fill again at once, falls back to the exact <see cref="Cut"/>. A
    /// quickselect's partitions branch on every key and cost several passes (6.9 % of the similarity stage's samples at
    /// 100,000 users, docs/benchmarks.md).
    /// </summary>
    private void Prune()
    {
        var keys = _keys.AsSpan(0, Count);
        if (keys.Length < 4 * Sample)
        {
            Cut();
            return;
        }

        Span<ulong> sample = stackalloc ulong[Sample];
        for (var i = 0; i < Sample; i++)
        {
            sample[i] = keys[(int)((long)i * keys.Length / Sample)];
        }

        sample.Sort();
        var pivot = sample[Sample - 38];
        var kept = 0;
        foreach (var key in keys)
        {
            kept += key >= pivot ? 1 : 0;
        }

        if (kept < _capacity || kept > keys.Length - (_capacity / 4))
        {
            Cut();
            return;
        }

        var at = 0;
        foreach (var key in keys)
        {
            keys[at] = key;
            at += key >= pivot ? 1 : 0;
        }

        Count = at;
        _floorKey = pivot;
        Floor = ScoreOf(pivot);
    }

    /// <summary>Keeps the best <c>capacity</c> keys in the buffer's front (Hoare's selection), the worst of them the floor.</summary>
    private void Cut()
    {
        var keys = _keys.AsSpan(0, Count);
        var k = _capacity - 1;
        var (lo, hi) = (0, keys.Length - 1);
        while (lo < hi)
        {
            // Median of three as the pivot; descending partition: the larger keys go left.
            var mid = lo + ((hi - lo) >> 1);
            var pivot = Median(keys[lo], keys[mid], keys[hi]);
            var (i, j) = (lo, hi);
            while (i <= j)
            {
                while (keys[i] > pivot)
                {
                    i++;
                }

                while (keys[j] < pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (keys[i], keys[j]) = (keys[j], keys[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j)
            {
                hi = j;
            }
            else if (k >= i)
            {
                lo = i;
            }
            else
            {
                break;
            }
        }

        Count = _capacity;
        var floor = ulong.MaxValue;
        foreach (var key in keys[..Count])
        {
            floor = Math.Min(floor, key);
        }

        _floorKey = floor;
        Floor = ScoreOf(floor);
    }

    private static ulong Median(ulong a, ulong b, ulong c) =>
        a < b ? (b < c ? b : Math.Max(a, c)) : (a < c ? a : Math.Max(b, c));
}
