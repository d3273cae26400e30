using System.Diagnostics;

namespace Tastebuds.Core.Similarity;

/// <summary>
/// A search's counters summed over its threads' workspaces (pairs scored, accumulation steps, thread time per phase), and
/// the <see cref="NeighbourStats"/> made of them: the same for the pruned, exact and embedding searches.
/// </summary>
internal sealed class SearchTotals
{
    private readonly long[] _phaseTicks = new long[PairWorkspace.PhaseCount];
    private long _pairs;
    private long _steps;

    /// <summary>Adds a workspace's counters (thread-safe: Parallel.For's localFinally) and clears them for its next use.</summary>
    public void Drain(PairWorkspace workspace)
    {
        Interlocked.Add(ref _pairs, workspace.PairsEvaluated);
        Interlocked.Add(ref _steps, workspace.AccumulationSteps);
        for (var p = 0; p < _phaseTicks.Length; p++)
        {
            Interlocked.Add(ref _phaseTicks[p], workspace.PhaseTicks[p]);
            workspace.PhaseTicks[p] = 0;
        }

        workspace.PairsEvaluated = 0;
        workspace.AccumulationSteps = 0;
    }

    public NeighbourStats Stats(int users, NeighbourRow[][][] result, TimeSpan prepared, TimeSpan elapsed) =>
        new(users, _pairs,
            result[(int)SimilarityMetric.Cosine].Sum(l => (long)l.Length),
            result[(int)SimilarityMetric.Jaccard].Sum(l => (long)l.Length),
            result[(int)SimilarityMetric.Pearson].Sum(l => (long)l.Length),
            elapsed)
        {
            AccumulationSteps = _steps,
            Phases = new NeighbourPhases(prepared, Phase(PairWorkspace.AccumulatePhase), Phase(PairWorkspace.ShortlistPhase),
                Phase(PairWorkspace.RescorePhase), Phase(PairWorkspace.SelectPhase)),
        };

    private TimeSpan Phase(int phase) => Stopwatch.GetElapsedTime(0, _phaseTicks[phase]);
}
