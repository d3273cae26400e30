namespace Tastebuds.Core.Similarity;

/// <summary>
/// Where a neighbour search spent its time: the preparation (single-threaded: the pruned search's per-item and per-user
/// tables), then summed over the worker threads (so up to cores × the wall time): the
/// accumulation over the inverted index, a pruned target's shortlist (scoring its estimates), the exact rescoring of
/// the shortlist, and the selection of the top K per metric with the neighbours' descriptions.
/// </summary>
public readonly record struct NeighbourPhases(TimeSpan Prepare, TimeSpan Accumulate, TimeSpan Shortlist, TimeSpan Rescore, TimeSpan Select);
