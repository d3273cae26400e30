namespace Tastebuds.Core.Models;

/// <summary>
/// Scoring over an <see cref="ItemGraph"/>: <c>s(u,j) = Σ_{i∈I(u)} r(u,i)·W(i,j)</c>, explained by the items i the
/// user plays that contribute most ("because you play X (similarity W(i,j))").
/// </summary>
internal sealed class ItemGraphModel(string name, ModelInput input, ItemGraph graph, Func<int, int, double> rating, int explainItems)
    : ITrainedModel
{
    public string Name => name;

    public ModelInput Input => input;

    public ItemGraph Graph => graph;

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
