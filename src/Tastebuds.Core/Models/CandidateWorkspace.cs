namespace Tastebuds.Core.Models;

/// <summary>One thread's buffers for <see cref="CandidateBlend"/>: reused from user to user, never shared.</summary>
internal sealed class Workspace
{
    private readonly int[] _ownStamp;
    private readonly int[] _candidateStamp;
    private readonly List<int> _items = [];
    private double[] _parts = [];
    private double[] _column = [];
    private double[] _blended = [];
    private int _generation;
    private readonly SparseScores?[] _sparse;
    private double[]? _dense;
    private readonly PriorityQueue<int, (double Score, int Item)> _heap = new(WorstFirst.Instance);

    public Workspace(int itemCount, int components)
    {
        _ownStamp = new int[itemCount];
        _candidateStamp = new int[itemCount];
        _sparse = new SparseScores?[components];
        ComponentCount = components;
    }

    public int ComponentCount { get; }

    /// <summary>Component c's sparse scores (allocated on first use: iALS never needs one).</summary>
    public SparseScores Sparse(int component) => _sparse[component] ??= new SparseScores(_ownStamp.Length);

    /// <summary>A whole-catalogue buffer, for components scored the plain way.</summary>
    public double[] Dense => _dense ??= new double[_ownStamp.Length];

    public List<int> Items => _items;

    public ReadOnlySpan<int> ItemSpan => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_items);

    public double[] Parts => _parts;

    public void Begin(ReadOnlySpan<int> own)
    {
        if (++_generation == int.MaxValue)
        {
            Array.Clear(_ownStamp);
            Array.Clear(_candidateStamp);
            _generation = 1;
        }

        _items.Clear();
        foreach (var item in own)
        {
            _ownStamp[item] = _generation;
        }
    }

    public bool IsOwn(int item) => _ownStamp[item] == _generation;

    public void AddCandidate(int item)
    {
        if (_ownStamp[item] != _generation && _candidateStamp[item] != _generation)
        {
            _candidateStamp[item] = _generation;
            _items.Add(item);
        }
    }

    /// <summary>Adds the <paramref name="count"/> best positive, finite, non-own items of <paramref name="scores"/>.</summary>
    public void AddTop(SparseScores scores, int count)
    {
        var touched = scores.TouchedSpan;
        var values = scores.Values;
        // The thread's own heap, emptied: a new one per user and component was ≈ 6 KB of garbage each (R = 250).
        var heap = _heap;
        heap.Clear();
        // Once the heap is full an item must reach its worst score, which one comparison against `floor` rules out for
        // most of the thousands of items a user's neighbourhood touches (ties go to the heap's comparison). The values
        // are read in the order touched, beside the items: no lookup per item.
        var floor = 0.0;
        for (var n = 0; n < touched.Length; n++)
        {
            var s = values[n];
            if (!(s > 0) || s < floor || !double.IsFinite(s))
            {
                continue;
            }

            var i = touched[n];
            if (IsOwn(i))
            {
                continue;
            }

            if (heap.Count < count)
            {
                heap.Enqueue(i, (s, i));
            }
            else if (heap.TryPeek(out _, out var worst) && WorstFirst.Instance.Compare((s, i), worst) > 0)
            {
                heap.DequeueEnqueue(i, (s, i));
            }

            if (heap.Count == count && heap.TryPeek(out _, out var least))
            {
                floor = least.Score;
            }
        }

        foreach (var (item, _) in heap.UnorderedItems)
        {
            AddCandidate(item);
        }
    }

    public void SortCandidates() => _items.Sort();

    /// <summary>The parts array, zeroed, for <paramref name="count"/> candidates.</summary>
    public double[] PartsFor(int count)
    {
        var length = count * ComponentCount;
        if (_parts.Length < length)
        {
            _parts = new double[Math.Max(length, _parts.Length * 2)];
        }
        else
        {
            Array.Clear(_parts, 0, length);
        }

        return _parts;
    }

    public Span<double> Column(int count)
    {
        if (_column.Length < count)
        {
            _column = new double[Math.Max(count, _column.Length * 2)];
        }

        return _column.AsSpan(0, count);
    }

    /// <summary>A buffer for the blended score of <paramref name="count"/> candidates (not zeroed).</summary>
    public Span<double> Blended(int count)
    {
        if (_blended.Length < count)
        {
            _blended = new double[Math.Max(count, _blended.Length * 2)];
        }

        return _blended.AsSpan(0, count);
    }

    /// <summary>Index of <paramref name="item"/> among the sorted candidates, or −1.</summary>
    public int IndexOf(int item)
    {
        var n = _items.BinarySearch(item);
        return n >= 0 ? n : -1;
    }
}
