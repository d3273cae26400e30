using System.Numerics;

namespace Tastebuds.Core.Similarity;

/// <summary>
/// The embedding search's exact rescoring for a block of up to 32 targets at once. Targets of one block come from one
/// cell and share most of their candidates, so each candidate in the union of the block's lists has its row walked
/// once per kind against the items of every block target (per item, the targets holding it as bits), instead of once
/// per target that shortlisted it. A shared entry is added to the sums of each pair (target, candidate) whose target
/// holds the item and shortlisted the candidate, in the candidate's row order: per pair, the same additions in the same
/// order as the exact search, so the sums are bit for bit its sums. <see cref="CopyTo"/> then hands one target's pairs
/// to a <see cref="PairWorkspace"/> for <c>Select</c>.
/// </summary>
internal sealed class BlockRescoring
{
    public const int MaxTargets = 32;
    private const int KindCount = 3;
    private const int Sums = PairWorkspace.Sums;

    /// <summary>Per user: bit t set while the user is a candidate of the block's target t (cleared once the union is built).</summary>
    private readonly uint[] _candidateOf;

    /// <summary>Per kind and item: its index among the block targets' items of that kind, or −1 (cleared after each kind).</summary>
    private readonly int[][] _itemIndex;

    /// <summary>Per kind, the block targets' items as bits (cleared after each kind).</summary>
    private readonly ulong[][] _marks;

    private int[] _union = new int[4096];
    private uint[] _unionTargets = new uint[4096];
    private int[] _firstPair = new int[4096];
    private uint[] _itemTargets = new uint[4096];
    private double[] _itemWeights = new double[4096 * MaxTargets];
    private double[] _acc = new double[KindCount * 4096 * Sums];
    private int[] _found = new int[256];
    private int _unionCount;
    private int _pairs;

    public BlockRescoring(int users, int[] itemCounts)
    {
        _candidateOf = new uint[users];
        _itemIndex = itemCounts.Select(c => Enumerable.Repeat(-1, c).ToArray()).ToArray();
        _marks = itemCounts.Select(c => new ulong[(c + 63) / 64]).ToArray();
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
        BuildUnion(block.Length, candidates, counts);
        var needed = KindCount * _pairs * Sums;
        if (_acc.Length < needed)
        {
            _acc = new double[Math.Max(needed, _acc.Length * 2)];
        }

        Array.Clear(_acc, 0, needed);
        for (var kind = 0; kind < slices.Length; kind++)
        {
            RescoreKind(slices[kind], kind, block);
        }
    }

    /// <summary>
    /// Opens a slot in <paramref name="ws"/> (reset) for each candidate of the block's target <paramref name="t"/>, in
    /// ascending user order, and copies the pair's sums into it; the slots go to <paramref name="slots"/>.
    /// </summary>
    public void CopyTo(int t, PairWorkspace ws, List<int> slots)
    {
        slots.Clear();
        var bit = 1u << t;
        var below = bit - 1;
        for (var i = 0; i < _unionCount; i++)
        {
            var targets = _unionTargets[i];
            if ((targets & bit) == 0)
            {
                continue;
            }

            var pair = _firstPair[i] + BitOperations.PopCount(targets & below);
            var slot = ws.SlotOf(_union[i]);
            var into = ws.Acc.AsSpan(PairWorkspace.AccIndex(slot, 0), KindCount * Sums);
            for (var kind = 0; kind < KindCount; kind++)
            {
                _acc.AsSpan(((kind * _pairs) + pair) * Sums, Sums).CopyTo(into.Slice(kind * Sums, Sums));
            }

            slots.Add(slot);
        }
    }

    /// <summary>The block's candidates, ascending, each with the targets that shortlisted it and the index of its first pair.</summary>
    private void BuildUnion(int targets, int[][] candidates, int[] counts)
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
        var pairs = 0;
        for (var i = 0; i < n; i++)
        {
            var v = _union[i];
            _unionTargets[i] = _candidateOf[v];
            _candidateOf[v] = 0;
            _firstPair[i] = pairs;
            pairs += BitOperations.PopCount(_unionTargets[i]);
        }

        _unionCount = n;
        _pairs = pairs;
    }

    private void RescoreKind(KindSlice s, int kind, ReadOnlySpan<int> block)
    {
        var index = _itemIndex[kind];
        var marks = _marks[kind];
        var rows = 0;
        for (var t = 0; t < block.Length; t++)
        {
            rows += s.UserOffsets[block[t] + 1] - s.UserOffsets[block[t]];
        }

        if (_itemTargets.Length < rows)
        {
            _itemTargets = new uint[rows];
            _itemWeights = new double[rows * MaxTargets];
        }

        // The block targets' items: per item, which targets hold it and with what weight.
        var items = 0;
        for (var t = 0; t < block.Length; t++)
        {
            var u = block[t];
            for (var e = s.UserOffsets[u]; e < s.UserOffsets[u + 1]; e++)
            {
                var item = s.Items[e];
                var c = index[item];
                if (c < 0)
                {
                    c = items++;
                    index[item] = c;
                    _itemTargets[c] = 0;
                    marks[item >> 6] |= 1UL << (item & 63);
                }

                _itemTargets[c] |= 1u << t;
                _itemWeights[(c * MaxTargets) + t] = s.Weights[e];
            }
        }

        var acc = _acc;
        var steps = 0L;
        for (var i = 0; i < _unionCount; i++)
        {
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
                n += (int)((marks[item >> 6] >> (item & 63)) & 1);
            }

            var shortlisted = _unionTargets[i];
            var first = _firstPair[i];
            for (var f = 0; f < n; f++)
            {
                var e = found[f];
                var c = index[s.Items[e]];
                var y = s.Weights[e];
                for (var hits = _itemTargets[c] & shortlisted; hits != 0; hits &= hits - 1)
                {
                    var t = BitOperations.TrailingZeroCount(hits);
                    var x = _itemWeights[(c * MaxTargets) + t];
                    var a = ((kind * _pairs) + first + BitOperations.PopCount(shortlisted & ((1u << t) - 1))) * Sums;
                    acc[a + PairWorkspace.SharedCount]++;
                    acc[a + PairWorkspace.Dot] += x * y;
                    acc[a + PairWorkspace.SumX] += x;
                    acc[a + PairWorkspace.SumY] += y;
                    acc[a + PairWorkspace.SumXX] += x * x;
                    acc[a + PairWorkspace.SumYY] += y * y;
                    steps++;
                }
            }
        }

        Steps += steps;
        for (var t = 0; t < block.Length; t++)
        {
            var u = block[t];
            for (var e = s.UserOffsets[u]; e < s.UserOffsets[u + 1]; e++)
            {
                index[s.Items[e]] = -1;
                marks[s.Items[e] >> 6] = 0;
            }
        }
    }
}
