namespace Tastebuds.Core.Similarity;

/// <summary>
/// Per-thread accumulators for one target user: a slot per candidate user that shares an item, holding per kind the
/// shared count, Σxy (= the dot product over shared items), Σx, Σy, Σx², Σy², side by side (one cache line a kind).
/// Only touched slots are reset, so a target user costs O(its pairs), not O(n). In a pruned search, the visits of a
/// popular item's strongest holders (PopularHolders) go to separate, cheaper estimates (shared count and Σxy per kind, as floats) that
/// only rank the shortlist, so the exact sums stay exact over the other items.
/// </summary>
internal sealed class PairWorkspace
{
    public const int Sums = 6;
    public const int SharedCount = 0;
    public const int Dot = 1;
    public const int SumX = 2;
    public const int SumY = 3;
    public const int SumXX = 4;
    public const int SumYY = 5;
    private const int KindCount = 3;
    private const int InitialSlots = 256;

    private readonly int[] _slotOf;
    private int[] _seen;
    private int[] _shared = new int[256];
    private int _qualifyAt = 1;

    /// <param name="popularCounts">Per kind, the popular items of a pruned search (none for the exact one).</param>
    public PairWorkspace(int userCount, int[] popularCounts)
    {
        TargetWeights = popularCounts.Select(c => new double[c]).ToArray();
        TargetHolds = popularCounts.Select(c => new int[c]).ToArray();
        Stamps = new int[userCount];
        Heaps = [new BoundedHeap(), new BoundedHeap(), new BoundedHeap()];

        _slotOf = new int[userCount];
        Array.Fill(_slotOf, -1);
        Candidates = new int[InitialSlots];
        Acc = new double[InitialSlots * KindCount * Sums];
        Estimates = new float[InitialSlots * KindCount * 2];
        _seen = new int[InitialSlots];
    }

    /// <summary>One bounded min-heap per metric, drained (empty) between target users.</summary>
    public BoundedHeap[] Heaps { get; }

    public int[] Candidates { get; private set; }

    /// <summary>Per kind and popular item: the target user's weight on it (meaningful where <see cref="TargetHolds"/> is 1).</summary>
    public double[][] TargetWeights { get; }

    /// <summary>Per kind and popular item: 1 when the target user holds it, else 0; reset after each target.</summary>
    public int[][] TargetHolds { get; }

    /// <summary>Per user: 1 + the last target that shortlisted it (dedupes the union of the per-metric shortlists).</summary>
    public int[] Stamps { get; }

    /// <summary>The slots of a pruned target user's shortlist, rescored exactly.</summary>
    public List<int> Shortlist { get; } = [];

    /// <summary>The slots of a pruned target user's pool: the qualified candidates seen sharing the most items, scored for the shortlist.</summary>
    public List<int> Pool { get; } = [];

    public int Count { get; private set; }

    /// <summary>Per slot and kind, <see cref="Sums"/> doubles: the shared count (a double: the formulas take it as one), then the sums.</summary>
    public double[] Acc { get; private set; }

    /// <summary>Per slot and kind: popular items seen shared among their strongest holders, and Σxy over them (a pruned search's estimate only).</summary>
    public float[] Estimates { get; private set; }

    /// <summary>
    /// The slots seen sharing at least <see cref="Begin"/>'s number of items (exact and estimated together), in the
    /// order they reached it: the only candidates worth scoring, found without a pass over every slot.
    /// </summary>
    public List<int> Qualified { get; } = [];

    public long PairsEvaluated { get; set; }

    public long AccumulationSteps { get; set; }

    public const int PhaseCount = 4;
    public const int AccumulatePhase = 0;
    public const int ShortlistPhase = 1;
    public const int RescorePhase = 2;
    public const int SelectPhase = 3;

    /// <summary>Stopwatch ticks spent per phase (<see cref="NeighbourPhases"/>) by this workspace's thread.</summary>
    public long[] PhaseTicks { get; } = new long[PhaseCount];

    /// <summary>Items seen shared with the candidate in <paramref name="slot"/> (exact and estimated visits together).</summary>
    public int SeenOf(int slot) => _seen[slot];

    /// <summary>Scratch for a histogram of <see cref="SeenOf"/> over the qualified slots.</summary>
    public int[] SeenHistogram { get; } = new int[MaxSeen + 1];

    public const int MaxSeen = 255;

    /// <summary>Starts a target user: candidates qualify once seen sharing <paramref name="qualifyAt"/> items.</summary>
    public void Begin(int qualifyAt) => _qualifyAt = Math.Max(1, qualifyAt);

    /// <summary>Exact sums: the target's weight <paramref name="x"/> against each holder in <c>holders[from .. from + count - 1]</c> but the target.</summary>
    public void Visit(int[] holders, double[] holderWeights, int from, int count, int u, int kind, double x)
    {
        var slotOf = _slotOf;
        var qualifyAt = _qualifyAt;
        var xx = x * x;
        var end = from + count;
        for (var h = from; h < end; h++)
        {
            Ahead(holders, h, end, kind, exact: true);
            var v = holders[h];
            if (v == u)
            {
                AccumulationSteps--;
                continue;
            }

            var slot = slotOf[v];
            if (slot < 0)
            {
                slot = Open(v);
            }

            if (++_seen[slot] == qualifyAt)
            {
                Qualified.Add(slot);
            }

            var y = holderWeights[h];
            var a = ((slot * KindCount) + kind) * Sums;
            var acc = Acc;
            acc[a + SharedCount]++;
            acc[a + Dot] += x * y;
            acc[a + SumX] += x;
            acc[a + SumY] += y;
            acc[a + SumXX] += xx;
            acc[a + SumYY] += y * y;
        }

        AccumulationSteps += count;
    }

    /// <summary>Holders this many places ahead have their slot looked up early (their slot's line is asked for half as far ahead).</summary>
    private const int SlotAhead = 16;

    /// <summary>
    /// Prefetch hints for a visit at <paramref name="h"/>: the slot number of the holder <see cref="SlotAhead"/> places
    /// ahead, and the seen count and the <paramref name="kind"/>'s sums (<paramref name="exact"/>) or estimates of the one
    /// half as far ahead, whose slot number was asked for earlier. Hints only: the sums are the same.
    /// </summary>
    private void Ahead(int[] holders, int h, int end, int kind, bool exact)
    {
        if (h + SlotAhead < end)
        {
            Prefetch.At(_slotOf, holders[h + SlotAhead]);
        }

        if (h + (SlotAhead / 2) < end)
        {
            var slot = _slotOf[holders[h + (SlotAhead / 2)]];
            if (slot >= 0)
            {
                Prefetch.At(_seen, slot);
                if (exact)
                {
                    Prefetch.At(Acc, AccIndex(slot, kind));
                    Prefetch.At(Acc, AccIndex(slot, kind) + Sums - 1);
                }
                else
                {
                    Prefetch.At(Estimates, EstimateIndex(slot, kind));
                }
            }
        }
    }

    /// <summary>A popular item's strongest holders: counts towards the shortlist's estimates only.</summary>
    public void Estimate(int[] holders, double[] holderWeights, int from, int count, int u, int kind, double x)
    {
        var slotOf = _slotOf;
        var qualifyAt = _qualifyAt;
        var end = from + count;
        for (var h = from; h < end; h++)
        {
            Ahead(holders, h, end, kind, exact: false);
            var v = holders[h];
            if (v == u)
            {
                AccumulationSteps--;
                continue;
            }

            var slot = slotOf[v];
            if (slot < 0)
            {
                slot = Open(v);
            }

            if (++_seen[slot] == qualifyAt)
            {
                Qualified.Add(slot);
            }

            var i = ((slot * KindCount) + kind) * 2;
            var est = Estimates;
            est[i]++;
            est[i + 1] += (float)(x * holderWeights[h]);
        }

        AccumulationSteps += count;
    }

    /// <summary>
    /// Adds to the candidate in <paramref name="slot"/> the exact sums of the popular items it shares with the target:
    /// each of its popular entries <c>items[from .. to - 1]</c> (weights y) whose item the target holds
    /// (<paramref name="holds"/> 1, its weight x in <paramref name="target"/>). The shared entries are first gathered
    /// without a branch (about a quarter of them are shared, a branch the predictor misses), then the six sums are read
    /// once, added to in registers in the order of the entries and written once: bit for bit what one read-modify-write
    /// per shared item gave.
    /// </summary>
    public void AddShared(int slot, int kind, double[] target, int[] holds, int[] items, double[] weights, int from, int to)
    {
        if (_shared.Length < to - from)
        {
            _shared = new int[Math.Max(to - from, _shared.Length * 2)];
        }

        var found = _shared;
        var n = 0;
        for (var e = from; e < to; e++)
        {
            found[n] = e;
            n += holds[items[e]];
        }

        if (n == 0)
        {
            return;
        }

        AddFound(slot, kind, target, items, weights, n);
    }

    /// <summary>
    /// The six sums of the <paramref name="n"/> shared entries gathered in <c>_shared</c>: read once, added to in registers
    /// in the order of the entries, written once (<see cref="AddShared"/>).
    /// </summary>
    private void AddFound(int slot, int kind, double[] target, int[] items, double[] weights, int n)
    {
        var found = _shared;
        var acc = Acc;
        var a = ((slot * KindCount) + kind) * Sums;
        var shared = acc[a + SharedCount];
        var dot = acc[a + Dot];
        var sumX = acc[a + SumX];
        var sumY = acc[a + SumY];
        var sumXX = acc[a + SumXX];
        var sumYY = acc[a + SumYY];
        for (var i = 0; i < n; i++)
        {
            var e = found[i];
            var x = target[items[e]];
            var y = weights[e];
            shared++;
            dot += x * y;
            sumX += x;
            sumY += y;
            sumXX += x * x;
            sumYY += y * y;
        }

        AccumulationSteps += n;
        acc[a + SharedCount] = shared;
        acc[a + Dot] = dot;
        acc[a + SumX] = sumX;
        acc[a + SumY] = sumY;
        acc[a + SumXX] = sumXX;
        acc[a + SumYY] = sumYY;
    }

    /// <summary>Items shared with the candidate in <paramref name="slot"/> of one kind (exact sums).</summary>
    public double SharedOf(int slot, int kind) => Acc[AccIndex(slot, kind) + SharedCount];

    public static int AccIndex(int slot, int kind) => ((slot * KindCount) + kind) * Sums;

    public static int EstimateIndex(int slot, int kind) => ((slot * KindCount) + kind) * 2;

    /// <param name="scored">The pairs scored exactly for this target: every slot, or a pruned target's shortlist.</param>
    public void Reset(int scored)
    {
        for (var s = 0; s < Count; s++)
        {
            _slotOf[Candidates[s]] = -1;
        }

        Qualified.Clear();
        PairsEvaluated += scored;
        Count = 0;
    }

    private int Open(int v)
    {
        if (Count == Candidates.Length)
        {
            var capacity = Count * 2;
            Candidates = Grow(Candidates, capacity);
            Acc = Grow(Acc, capacity * KindCount * Sums);
            Estimates = Grow(Estimates, capacity * KindCount * 2);
            _seen = Grow(_seen, capacity);
        }

        // A slot is cleared when it is opened, not when its target ends: its lines are about to be written anyway, where
        // clearing every used slot at the end was a second pass over megabytes that had left the cache.
        Array.Clear(Acc, Count * KindCount * Sums, KindCount * Sums);
        Array.Clear(Estimates, Count * KindCount * 2, KindCount * 2);
        _seen[Count] = 0;
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
