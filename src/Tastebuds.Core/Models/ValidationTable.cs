using System.Collections.Concurrent;
using Tastebuds.Core.Evaluation;

namespace Tastebuds.Core.Models;

/// <summary>
/// Per validation user: the candidate items (the union of each component's top <c>Candidates</c> among the blend's
/// candidates, <see cref="CandidateBlend"/>), their
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

    public static ValidationTable Build(CandidateBlend blend, HoldoutSplit split, int[] users, int candidates, CancellationToken cancellationToken)
    {
        var rows = new Row[users.Length];
        var m = blend.ComponentCount;
        // A workspace (≈ 9 MB at 200,000 items) per worker, handed on: Parallel.For ends and restarts its workers every
        // few hundred milliseconds, each restart asking for one.
        var pool = new ConcurrentBag<Workspace>();
        Parallel.For(0, users.Length, Parallelism.Options(cancellationToken),
            () => pool.TryTake(out var ws) ? ws : blend.CreateWorkspace(),
            (n, _, ws) =>
            {
                var u = users[n];
                blend.Fill(u, ws, weights: null);
                var count = ws.Items.Count;
                var union = new HashSet<int>();
                for (var c = 0; c < m; c++)
                {
                    union.UnionWith(TopIndices(ws.Parts, count, m, c, candidates));
                }

                var picked = union.Order().ToArray();
                var items = picked.Select(p => ws.Items[p]).ToArray();
                var scores = new double[picked.Length * m];
                for (var k = 0; k < picked.Length; k++)
                {
                    Array.Copy(ws.Parts, picked[k] * m, scores, k * m, m);
                }

                var targets = split.TestItems(u).ToHashSet();
                rows[n] = new Row(items, scores, items.Select(targets.Contains).ToArray(), targets.Count);
                return ws;
            },
            pool.Add);
        return new ValidationTable(m, rows);
    }

    /// <summary>Positions of the <paramref name="count"/> largest positive values of column c (ties to the lower position).</summary>
    private static IEnumerable<int> TopIndices(double[] parts, int rows, int m, int c, int count)
    {
        var heap = new PriorityQueue<int, (double Score, int Item)>(count + 1, WorstFirst.Instance);
        for (var n = 0; n < rows; n++)
        {
            var s = parts[(n * m) + c];
            if (s > 0)
            {
                heap.Enqueue(n, (s, n));
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
