using System.Diagnostics;
using Tastebuds.Core.Models;

namespace Tastebuds.Worker.Recommendations;

/// <summary>
/// A fitted model's top lists as stored rows, each with its explanation (<see cref="ITrainedModel.ExplainAll"/>), in
/// blocks of users explained in parallel: only one block's rows are held while the COPY streams them.
/// </summary>
internal static class ModelRows
{
    private const int BlockUsers = 512;

    /// <param name="explaining">Accumulates the time spent explaining (it is part of the compute, not of the write).</param>
    public static IEnumerable<RecommendationRow> Of(ITrainedModel trained, ModelRecommendation[][] lists, IReadOnlyDictionary<string, short> codes,
        int maxDegreeOfParallelism, Stopwatch explaining, CancellationToken ct)
    {
        var input = trained.Input;
        var method = trained.Name;
        short Code(string name) => codes.TryGetValue(name, out var code)
            ? code
            : throw new InvalidOperationException($"recommendation_methods has no code for the component '{name}'");
        for (var first = 0; first < lists.Length; first += BlockUsers)
        {
            var count = Math.Min(BlockUsers, lists.Length - first);
            var block = new RecommendationRow[count][];
            var start = first;
            explaining.Start();
            Parallel.For(0, count, new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = maxDegreeOfParallelism }, n =>
            {
                var user = start + n;
                var list = lists[user];
                if (list.Length == 0)
                {
                    block[n] = [];
                    return;
                }

                var explanations = trained.ExplainAll(user, [.. list.Select(r => r.Item)]);
                var userId = input.Matrix.UserId(user);
                block[n] = [.. list.Select((r, i) =>
                {
                    var reasons = Reasons.Of(explanations[i], input, Code);
                    return new RecommendationRow(userId, input.Matrix.ItemId(input.Kind, r.Item), method, r.Score, r.Rank, reasons.Supporting,
                        0, reasons);
                })];
            });
            explaining.Stop();
            foreach (var rows in block)
            {
                foreach (var row in rows)
                {
                    yield return row;
                }
            }
        }
    }
}
