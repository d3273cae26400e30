namespace Tastebuds.Core.Similarity;

/// <summary>
/// The exact sums of the pairs (target, candidate) that <c>NeighbourFinder.Select</c> ranks, by slot: per kind the
/// shared count, Σxy, Σx, Σy, Σx², Σy² (<see cref="PairWorkspace.Sums"/> doubles in that order), the candidate, and the
/// candidate's count and norm per kind. A struct per source, so that Select is compiled for each without a call per value.
/// </summary>
internal interface IPairSums
{
    int UserOf(int slot);

    ReadOnlySpan<double> Sums(int slot, int kind);

    /// <summary>The candidate's row of the kind: its count and norm.</summary>
    VectorSummary Summary(int slot, int kind);
}

/// <summary>The slots of a <see cref="PairWorkspace"/> (the exact and the pruned searches).</summary>
internal readonly struct WorkspaceSums(PairWorkspace workspace, KindSlice[] slices) : IPairSums
{
    public int UserOf(int slot) => workspace.Candidates[slot];

    public ReadOnlySpan<double> Sums(int slot, int kind) => workspace.Acc.AsSpan(PairWorkspace.AccIndex(slot, kind), PairWorkspace.Sums);

    public VectorSummary Summary(int slot, int kind)
    {
        var v = workspace.Candidates[slot];
        var s = slices[kind];
        return new VectorSummary(s.Count(v), s.Norms[v]);
    }
}
