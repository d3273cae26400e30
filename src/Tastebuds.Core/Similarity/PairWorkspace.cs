namespace Tastebuds.Core.Similarity;

/// <summary>
/// Per-thread accumulators for one target user: a slot per candidate user that shares an item,
/// holding per kind the shared count and Σxy (= the dot product over shared items), Σx, Σy, Σx², Σy².
/// Only touched slots are reset, so a target user costs O(its pairs), not O(n).
/// </summary>
internal sealed class PairWorkspace
{
    public const int Sums = 5;
    public const int Dot = 0;
    public const int SumX = 1;
    public const int SumY = 2;
    public const int SumXX = 3;
    public const int SumYY = 4;
    private const int KindCount = 3;

    private readonly int[] _slotOf;

    public PairWorkspace(int userCount, int maxNeighbours, int[] itemCounts)
    {
        Positions = itemCounts.Select(c => new int[c]).ToArray();
        Stamps = new int[userCount];
        Heaps = new PriorityQueue<int, (double Score, int User)>[3];
        for (var m = 0; m < Heaps.Length; m++)
        {
            Heaps[m] = new PriorityQueue<int, (double Score, int User)>(maxNeighbours + 1, NeighbourOrder.WorstFirst);
        }

        _slotOf = new int[userCount];
        Array.Fill(_slotOf, -1);
        Candidates = new int[16];
        Shared = new double[16 * KindCount];
        Acc = new double[16 * KindCount * Sums];
    }

    /// <summary>One bounded min-heap per metric, drained (empty) between target users.</summary>
    public PriorityQueue<int, (double Score, int User)>[] Heaps { get; }

    public int[] Candidates { get; private set; }

    /// <summary>Per kind and item: 1 + the entry of the target user holding it, or 0; cleared after each target.</summary>
    public int[][] Positions { get; }

    /// <summary>Per user: 1 + the last target that shortlisted it (dedupes the union of the per-metric shortlists).</summary>
    public int[] Stamps { get; }

    /// <summary>The shortlist of a pruned target user, rescored exactly.</summary>
    public List<int> Shortlist { get; } = [];

    public int Count { get; private set; }

    /// <summary>Shared items per slot and kind: a count (a double: the scoring formulas take it as one).</summary>
    public double[] Shared { get; private set; }

    public double[] Acc { get; private set; }

    public long PairsEvaluated { get; set; }

    public long AccumulationSteps { get; set; }

    public void Add(int v, int kind, double x, double y)
    {
        var slot = _slotOf[v];
        if (slot < 0)
        {
            slot = Open(v);
        }

        AccumulationSteps++;
        Shared[(slot * KindCount) + kind]++;
        var a = ((slot * KindCount) + kind) * Sums;
        Acc[a + Dot] += x * y;
        Acc[a + SumX] += x;
        Acc[a + SumY] += y;
        Acc[a + SumXX] += x * x;
        Acc[a + SumYY] += y * y;
    }

    /// <summary>Items shared with the candidate in <paramref name="slot"/>, all kinds together.</summary>
    public double SharedOf(int slot) => Shared[SharedIndex(slot, 0)] + Shared[SharedIndex(slot, 1)] + Shared[SharedIndex(slot, 2)];

    public static int SharedIndex(int slot, int kind) => (slot * KindCount) + kind;

    public static int AccIndex(int slot, int kind) => ((slot * KindCount) + kind) * Sums;

    /// <param name="scored">False when the accumulated pairs were only a shortlist's draft, not scored.</param>
    public void Reset(bool scored = true)
    {
        for (var s = 0; s < Count; s++)
        {
            _slotOf[Candidates[s]] = -1;
        }

        Array.Clear(Shared, 0, Count * KindCount);
        Array.Clear(Acc, 0, Count * KindCount * Sums);
        PairsEvaluated += scored ? Count : 0;
        Count = 0;
    }

    private int Open(int v)
    {
        if (Count == Candidates.Length)
        {
            var capacity = Count * 2;
            Candidates = Grow(Candidates, capacity);
            Shared = Grow(Shared, capacity * KindCount);
            Acc = Grow(Acc, capacity * KindCount * Sums);
        }

        Candidates[Count] = v;
        _slotOf[v] = Count;
        return Count++;
    }

    private static T[] Grow<T>(T[] array, int length)
    {
        var grown = new T[length];
        Array.Copy(array, grown, array.Length);
        return grown;
    }
}
