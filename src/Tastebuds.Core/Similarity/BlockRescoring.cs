using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Tastebuds.Core.Similarity;

/// <summary>
/// The embedding search's exact rescoring for a block of up to 32 targets at once. Targets of one block come from one
/// cell and share most of their candidates, so each candidate in the union of the block's lists has its row walked
/// once per kind against the items of every block target (per item, the targets holding it as bits), instead of once
/// per target that shortlisted it. A shared entry is added to the sums of each pair (target, candidate) whose target
/// holds the item and shortlisted the candidate, in the candidate's row order: per pair, the same additions in the same
/// order as the exact search, so the sums are bit for bit its sums. <see cref="PairSums"/> then hands them, by pair, to
/// <c>Select</c>.
/// </summary>
internal sealed class BlockRescoring
{
    public const int MaxTargets = 32;
    private const int KindCount = 3;

    /// <summary>Doubles per pair and kind in the block's sums: the six, then two zeros (one 64-byte vector).</summary>
    private const int Lane = 8;

    /// <summary>Candidates ahead of the walk whose sums are cleared (and so fetched).</summary>
    private const int ClearAhead = 8;

    /// <summary>Per user: bit t set while the user is a candidate of the block's target t (cleared once the union is built).</summary>
    private readonly uint[] _candidateOf;

    /// <summary>Per kind, the block targets' items as bits (cleared after each kind); an item's rank among them numbers it.</summary>
    private readonly ulong[][] _marks;

    /// <summary>Per word of a kind's marks, the marked items in the words before it (an item's rank: this plus the bits below it).</summary>
    private readonly int[] _rankBase;

    private int[] _union = new int[4096];
    private uint[] _unionTargets = new uint[4096];
    private int[] _firstPair = new int[4096];

    /// <summary>Per pair, the index of its candidate in the union; per union candidate and kind, its count and norm.</summary>
    private int[] _pairUnion = new int[4096];
    private VectorSummary[] _summaries = new VectorSummary[KindCount * 4096];

    /// <summary>Per ranked item: the block targets holding it as bits, and where its targets' terms start.</summary>
    private uint[] _itemTargets = new uint[4096];
    private int[] _termStart = new int[4096];

    /// <summary>Per ranked item and holding target (in target order): (1, x, x, 1, x², 1, 0, 0) for the target's weight x.</summary>
    private readonly VectorBuffer _terms = new(4096);

    /// <summary>Per kind and pair, the six sums and two zeros: one vector of 8 doubles.</summary>
    private readonly VectorBuffer _acc = new(KindCount * 4096);
    private int[] _found = new int[256];
    private int _unionCount;
    private int _pairs;

    public BlockRescoring(int users, int[] itemCounts)
    {
        _candidateOf = new uint[users];
        _marks = itemCounts.Select(c => new ulong[(c + 63) / 64]).ToArray();
        _rankBase = new int[_marks.Max(m => m.Length)];
    }

    /// <summary>Shared entries added (one per pair and shared item), for <see cref="PairWorkspace.AccumulationSteps"/>.</summary>
    public long Steps { get; set; }

    /// <summary>
    /// The exact sums of every pair (block[t], v) for v in <c>candidates[t][..counts[t]]</c> (any order; a user listed
    /// twice is one pair).
    /// </summary>
    public void Run(KindSlice[] slices, ReadOnlySpan<int> block, int[][] candidates, int[] counts)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(block.Length, MaxTargets);
        BuildUnion(slices, block.Length, candidates, counts);
        _acc.Reserve(KindCount * _pairs);
        for (var kind = 0; kind < slices.Length; kind++)
        {
            RescoreKind(slices[kind], kind, block);
        }
    }

    /// <summary>
    /// Per candidate of the block (in ascending user order), the block targets that shortlisted it, as bits (valid until
    /// the next <see cref="Run"/>).
    /// </summary>
    public ReadOnlySpan<uint> UnionTargets => _unionTargets.AsSpan(0, _unionCount);

    /// <summary>Per union candidate, the number of its first pair: its pairs follow in the order of their targets.</summary>
    public ReadOnlySpan<int> FirstPair => _firstPair.AsSpan(0, _unionCount);

    /// <summary>The block's pairs (target, candidate).</summary>
    public int Pairs => _pairs;

    /// <summary>The sums of the block's pairs, by pair number, for <c>Select</c>.</summary>
    public BlockSums PairSums() => new(this);

    /// <summary>A block's pairs by pair number: the sums <see cref="Run"/> left, and each candidate's counts and norms.</summary>
    internal readonly struct BlockSums(BlockRescoring rescoring) : IPairSums
    {
        private readonly double[] _acc = rescoring._acc.Array;
        private readonly int _offset = rescoring._acc.Offset;
        private readonly int _pairs = rescoring._pairs;
        private readonly int[] _pairUnion = rescoring._pairUnion;
        private readonly int[] _union = rescoring._union;
        private readonly VectorSummary[] _summaries = rescoring._summaries;

        public int UserOf(int slot) => _union[_pairUnion[slot]];

        public ReadOnlySpan<double> Sums(int slot, int kind) => _acc.AsSpan(_offset + (((kind * _pairs) + slot) * Lane), PairWorkspace.Sums);

        public VectorSummary Summary(int slot, int kind) => _summaries[(_pairUnion[slot] * KindCount) + kind];
    }

    /// <summary>The block's candidates, ascending, each with the targets that shortlisted it and the index of its first pair.</summary>
    private void BuildUnion(KindSlice[] slices, int targets, int[][] candidates, int[] counts)
    {
        var total = 0;
        for (var t = 0; t < targets; t++)
        {
            total += counts[t];
        }

        if (_union.Length < total)
        {
            _union = new int[total];
            _unionTargets = new uint[total];
            _firstPair = new int[total];
        }

        var n = 0;
        for (var t = 0; t < targets; t++)
        {
            var bit = 1u << t;
            var list = candidates[t];
            for (var j = 0; j < counts[t]; j++)
            {
                var v = list[j];
                if (_candidateOf[v] == 0)
                {
                    _union[n++] = v;
                }

                _candidateOf[v] |= bit;
            }
        }

        _union.AsSpan(0, n).Sort();
        if (_pairUnion.Length < total)
        {
            _pairUnion = new int[total];
        }

        if (_summaries.Length < n * KindCount)
        {
            _summaries = new VectorSummary[Math.Max(n * KindCount, _summaries.Length * 2)];
        }

        var pairs = 0;
        for (var i = 0; i < n; i++)
        {
            var v = _union[i];
            _unionTargets[i] = _candidateOf[v];
            _candidateOf[v] = 0;
            _firstPair[i] = pairs;
            var count = BitOperations.PopCount(_unionTargets[i]);
            _pairUnion.AsSpan(pairs, count).Fill(i);
            pairs += count;
            for (var kind = 0; kind < KindCount; kind++)
            {
                var s = slices[kind];
                _summaries[(i * KindCount) + kind] = new VectorSummary(s.Count(v), s.Norms[v]);
            }
        }

        _unionCount = n;
        _pairs = pairs;
    }

    private void RescoreKind(KindSlice s, int kind, ReadOnlySpan<int> block)
    {
        var marks = _marks[kind];
        var rankBase = _rankBase;

        // The block targets' items, marked; then numbered by rank (ascending item), so that no per-item index is needed.
        var rows = 0;
        for (var t = 0; t < block.Length; t++)
        {
            var u = block[t];
            for (var e = s.UserOffsets[u]; e < s.UserOffsets[u + 1]; e++)
            {
                marks[s.Items[e] >> 6] |= 1UL << s.Items[e];
            }

            rows += s.UserOffsets[u + 1] - s.UserOffsets[u];
        }

        var distinct = 0;
        for (var w = 0; w < marks.Length; w++)
        {
            rankBase[w] = distinct;
            distinct += BitOperations.PopCount(marks[w]);
        }

        if (_itemTargets.Length < distinct)
        {
            _itemTargets = new uint[Math.Max(distinct, _itemTargets.Length * 2)];
            _termStart = new int[_itemTargets.Length];
        }

        _terms.Reserve(rows);
        var itemTargets = _itemTargets;
        Array.Clear(itemTargets, 0, distinct);
        for (var t = 0; t < block.Length; t++)
        {
            var u = block[t];
            for (var e = s.UserOffsets[u]; e < s.UserOffsets[u + 1]; e++)
            {
                itemTargets[Rank(marks, rankBase, s.Items[e])] |= 1u << t;
            }
        }

        var termStart = _termStart;
        for (int c = 0, at = 0; c < distinct; c++)
        {
            termStart[c] = at;
            at += BitOperations.PopCount(itemTargets[c]);
        }

        // Per item and holding target, the target's side of the six sums' terms.
        var terms = _terms.Vectors;
        for (var t = 0; t < block.Length; t++)
        {
            var u = block[t];
            for (var e = s.UserOffsets[u]; e < s.UserOffsets[u + 1]; e++)
            {
                var c = Rank(marks, rankBase, s.Items[e]);
                var x = s.Weights[e];
                terms[termStart[c] + BitOperations.PopCount(itemTargets[c] & ((1u << t) - 1))] = Vector512.Create(1.0, x, x, 1.0, x * x, 1.0, 0.0, 0.0);
            }
        }

        // Each candidate's sums are cleared a few candidates ahead of their use: the stores fetch their lines meanwhile (a
        // clear of the whole block's sums up front wrote megabytes that had left the cache again by their first use).
        var sums = _acc.Vectors.Slice(kind * _pairs, _pairs);
        for (var i = 0; i < Math.Min(ClearAhead, _unionCount); i++)
        {
            sums.Slice(_firstPair[i], BitOperations.PopCount(_unionTargets[i])).Clear();
        }

        var steps = 0L;
        for (var i = 0; i < _unionCount; i++)
        {
            if (i + ClearAhead < _unionCount)
            {
                sums.Slice(_firstPair[i + ClearAhead], BitOperations.PopCount(_unionTargets[i + ClearAhead])).Clear();
            }

            if (i + NeighbourFinder.PrefetchAhead < _unionCount)
            {
                var ahead = _union[i + NeighbourFinder.PrefetchAhead];
                Prefetch.Range(s.Items, s.UserOffsets[ahead], s.UserOffsets[ahead + 1]);
                Prefetch.Range(s.Weights, s.UserOffsets[ahead], s.UserOffsets[ahead + 1]);
            }

            var v = _union[i];
            var from = s.UserOffsets[v];
            var to = s.UserOffsets[v + 1];
            if (_found.Length < to - from)
            {
                _found = new int[Math.Max(to - from, _found.Length * 2)];
            }

            // The row's entries on a block target's item, gathered without a branch (most are not).
            var found = _found;
            var n = 0;
            for (var e = from; e < to; e++)
            {
                var item = s.Items[e];
                found[n] = e;
                n += (int)((marks[item >> 6] >> item) & 1);
            }

            var shortlisted = _unionTargets[i];
            var pairs = sums[_firstPair[i]..];
            for (var f = 0; f < n; f++)
            {
                var e = found[f];
                var c = Rank(marks, rankBase, s.Items[e]);
                var holders = itemTargets[c];
                var hits = holders & shortlisted;
                if (hits == 0)
                {
                    continue;
                }

                // The candidate's side: (1, y, 1, y, 1, y², 0, 0). Each lane of term × side is the product the scalar sums
                // add (1·1, x·y, x·1, 1·y, x²·1, 1·y², exact where a factor is 1), so each sum gets the same addend.
                var y = s.Weights[e];
                var side = Vector512.Create(1.0, y, 1.0, y, 1.0, y * y, 0.0, 0.0);
                var first = termStart[c];
                do
                {
                    var below = (1u << BitOperations.TrailingZeroCount(hits)) - 1;
                    ref var sum = ref pairs[BitOperations.PopCount(shortlisted & below)];
                    sum += terms[first + BitOperations.PopCount(holders & below)] * side;
                    steps++;
                    hits &= hits - 1;
                }
                while (hits != 0);
            }
        }

        Steps += steps;
        for (var t = 0; t < block.Length; t++)
        {
            var u = block[t];
            for (var e = s.UserOffsets[u]; e < s.UserOffsets[u + 1]; e++)
            {
                marks[s.Items[e] >> 6] = 0;
            }
        }
    }

    /// <summary>The item's number among the marked items: the marked items before it.</summary>
    private static int Rank(ulong[] marks, int[] rankBase, int item) =>
        rankBase[item >> 6] + BitOperations.PopCount(marks[item >> 6] & ((1UL << item) - 1));

    /// <summary>
    /// A growable array of 64-byte vectors whose first element sits on a 64-byte boundary (pinned, so it stays there):
    /// a pair's sums are then one cache line.
    /// </summary>
    private sealed class VectorBuffer
    {
        private const int Doubles = 8;
        private double[] _array;
        private int _offset;

        public VectorBuffer(int capacity)
        {
            _array = Allocate(capacity, out _offset);
            Capacity = capacity;
        }

        public int Capacity { get; private set; }

        public double[] Array => _array;

        /// <summary>Where the first vector starts in <see cref="Array"/>.</summary>
        public int Offset => _offset;

        public Span<Vector512<double>> Vectors => MemoryMarshal.Cast<double, Vector512<double>>(_array.AsSpan(_offset, Capacity * Doubles));

        /// <summary>At least <paramref name="count"/> vectors (what was held is not kept).</summary>
        public void Reserve(int count)
        {
            if (count > Capacity)
            {
                Capacity = Math.Max(count, Capacity * 2);
                _array = Allocate(Capacity, out _offset);
            }
        }

        private static unsafe double[] Allocate(int vectors, out int offset)
        {
            var array = GC.AllocateUninitializedArray<double>((vectors + 1) * Doubles, pinned: true);
            var address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
            offset = (int)((64 - (address & 63)) & 63) / sizeof(double);
            return array;
        }
    }
}
