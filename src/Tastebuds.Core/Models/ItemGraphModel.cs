namespace Tastebuds.Core.Models;

/// <summary>
/// Scoring over an <see cref="ItemGraph"/>: <c>s(u,j) = Σ_{i∈I(u)} r(u,i)·W(i,j)</c>, explained by the items i the
/// user plays that contribute most ("because you play X (similarity W(i,j))"). r(u,i) = w(u,i) when
/// <paramref name="weighted"/>, else 1.
/// </summary>
internal sealed class ItemGraphModel(string name, ModelInput input, ItemGraph graph, bool weighted, int explainItems)
    : ITrainedModel, ISparseScorer, IServableOnWhole
{
    private readonly Func<int, int, double> rating = RatingOf(input, weighted);

    [ThreadStatic]
    private static int[]? t_position;

    public string Name => name;

    public ModelInput Input => input;

    public ItemGraph Graph => graph;

    /// <summary>
    /// The same graph serving the whole input: the users' whole histories are scored and explained (and never recommended
    /// back); the graph is not rebuilt for the few held-out interactions it lacks (docs/algorithms.md "One fit").
    /// </summary>
    public ITrainedModel ServeOn(ModelInput whole, IReadOnlyList<int> changedUsers, CancellationToken cancellationToken) =>
        new ItemGraphModel(name, whole, graph, weighted, explainItems);

    private static Func<int, int, double> RatingOf(ModelInput input, bool weighted)
    {
        if (!weighted)
        {
            return static (_, _) => 1.0;
        }

        var slice = input.Matrix.Slice(input.Kind);
        return (u, e) => slice.Weights[slice.UserOffsets[u] + e];
    }

    public void Score(int user, Span<double> scores)
    {
        var items = input.ItemsOf(user);
        for (var e = 0; e < items.Length; e++)
        {
            var r = rating(user, e);
            var i = items[e];
            var neighbours = graph.NeighboursOf(i);
            var weights = graph.WeightsOf(i);
            for (var n = 0; n < neighbours.Length; n++)
            {
                scores[neighbours[n]] += r * weights[n];
            }
        }
    }

    public void ScoreSparse(int user, SparseScores scores)
    {
        var items = input.ItemsOf(user);
        for (var e = 0; e < items.Length; e++)
        {
            graph.PrefetchAhead(items, e);
            var r = rating(user, e);
            var i = items[e];
            var neighbours = graph.NeighboursOf(i);
            var weights = graph.WeightsOf(i);
            for (var n = 0; n < neighbours.Length; n++)
            {
                scores.Add(neighbours[n], r * weights[n]);
            }
        }
    }

    /// <summary>
    /// <see cref="Explain"/> for many items in one walk over the user's neighbourhood (history × K edges) instead of
    /// one search of every history item's row per recommended item.
    /// </summary>
    public IReadOnlyList<ModelExplanation> ExplainAll(int user, IReadOnlyList<int> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var position = t_position is { } p && p.Length == input.ItemCount ? p : t_position = new int[input.ItemCount];
        var evidence = new TopEvidence[targets.Count];
        var slot = new int[targets.Count];
        for (var n = 0; n < targets.Count; n++)
        {
            if (position[targets[n]] == 0)
            {
                position[targets[n]] = n + 1;
                evidence[n] = new TopEvidence(explainItems);
            }

            // A target listed twice collects into its first slot.
            slot[n] = position[targets[n]] - 1;
        }

        try
        {
            var items = input.ItemsOf(user);
            for (var e = 0; e < items.Length; e++)
            {
                graph.PrefetchAhead(items, e);
                var neighbours = graph.NeighboursOf(items[e]);
                var weights = graph.WeightsOf(items[e]);
                for (var k = 0; k < neighbours.Length; k++)
                {
                    var at = position[neighbours[k]];
                    if (at > 0 && weights[k] > 0)
                    {
                        evidence[at - 1].Offer(new Evidence(EvidenceKind.Item, items[e], weights[k], rating(user, e) * weights[k]));
                    }
                }
            }
        }
        finally
        {
            foreach (var t in targets)
            {
                position[t] = 0;
            }
        }

        // The best explainItems reasons of each target, kept as they were found (TopEvidence: no list of every reason).
        return [.. slot.Select(n => new ModelExplanation(name, evidence[n].ToArray()))];
    }

    public ModelExplanation Explain(int user, int item)
    {
        var items = input.ItemsOf(user);
        var evidence = new List<Evidence>();
        for (var e = 0; e < items.Length; e++)
        {
            var w = graph.Weight(items[e], item);
            if (w > 0)
            {
                evidence.Add(new Evidence(EvidenceKind.Item, items[e], w, rating(user, e) * w));
            }
        }

        return new ModelExplanation(name,
            [.. evidence.OrderByDescending(x => x.Contribution).ThenBy(x => x.Id).Take(explainItems)]);
    }
}
