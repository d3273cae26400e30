using Tastebuds.Core.Evaluation;

namespace Tastebuds.Core.Models;

/// <summary>
/// Per validation user: the candidate items (the union of each component's top <c>Candidates</c>), their
/// normalised component scores, and which of them are the user's validation targets. A blend is then ranked over
/// the candidates only, which makes one trial cheap.
/// </summary>
internal sealed class ValidationTable
{
    private ValidationTable(int components, Row[] rows)
    {
        ComponentCount = components;
        Rows = rows;
    }

    public int ComponentCount { get; }

    public Row[] Rows { get; }

    public static ValidationTable Build(ITrainedModel[] fitted, HoldoutSplit split, int[] users, int candidates, CancellationToken cancellationToken)
    {
        var rows = new Row[users.Length];
        var itemCount = fitted[0].Input.ItemCount;
        Parallel.For(0, users.Length, new ParallelOptions { CancellationToken = cancellationToken },
            () => fitted.Select(_ => new double[itemCount]).ToArray(),
            (n, _, buffers) =>
            {
                var u = users[n];
                var union = new HashSet<int>();
                for (var m = 0; m < fitted.Length; m++)
                {
                    Array.Clear(buffers[m]);
                    fitted[m].Score(u, buffers[m]);
                    HybridBlend.Normalise(buffers[m], fitted[m].Input.ItemsOf(u));
                    union.UnionWith(TopIndices(buffers[m], candidates));
                }

                var items = union.Order().ToArray();
                var scores = new double[items.Length * fitted.Length];
                for (var c = 0; c < items.Length; c++)
                {
                    for (var m = 0; m < fitted.Length; m++)
                    {
                        scores[(c * fitted.Length) + m] = buffers[m][items[c]];
                    }
                }

                var targets = split.TestItems(u).ToHashSet();
                rows[n] = new Row(items, scores, items.Select(targets.Contains).ToArray(), targets.Count);
                return buffers;
            },
            _ => { });
        return new ValidationTable(fitted.Length, rows);
    }

    private static IEnumerable<int> TopIndices(double[] scores, int count)
    {
        var heap = new PriorityQueue<int, double>(count + 1);
        for (var i = 0; i < scores.Length; i++)
        {
            if (scores[i] > 0)
            {
                heap.Enqueue(i, scores[i]);
                if (heap.Count > count)
                {
                    heap.Dequeue();
                }
            }
        }

        return heap.UnorderedItems.Select(x => x.Element);
    }

    /// <summary>Candidates ascending, scores row-major [candidate, component], relevance per candidate.</summary>
    internal sealed record Row(int[] Items, double[] Scores, bool[] Relevant, int TargetCount);
}
