using System.Globalization;
using System.Text;

namespace Tastebuds.Core.Evaluation;

/// <summary>The result of one offline evaluation run.</summary>
public sealed record EvaluationReport(
    int Users,
    int EvaluatedUsers,
    int TestItems,
    int TrainItems,
    TimeSpan NeighbourElapsed,
    long PairsEvaluated,
    IReadOnlyList<MethodResult> Methods)
{
    public MethodResult this[string method] => Methods.Single(m => m.Method == method);

    /// <summary>Best kNN NDCG divided by the most-popular baseline's NDCG.</summary>
    public double BestNdcgOverBaseline =>
        Methods.Where(m => m.Method != OfflineEvaluation.MostPopular).Max(m => m.Ndcg) / this[OfflineEvaluation.MostPopular].Ndcg;

    public string ToMarkdown(int cutOff)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        // A model run (ModelEvaluation) has no shared neighbour pass: each user-kNN row carries its own.
        var neighbourPass = PairsEvaluated == 0 && NeighbourElapsed == TimeSpan.Zero
            ? ""
            : string.Create(c, $", pairs {PairsEvaluated}, neighbour pass {NeighbourElapsed.TotalMilliseconds:F0} ms");
        text.AppendLine(c, $"Users {Users}, evaluated {EvaluatedUsers}, hidden items {TestItems}, train items {TrainItems}{neighbourPass}");
        text.AppendLine();
        text.AppendLine(c, $"| method | P@{cutOff} | R@{cutOff} | NDCG@{cutOff} | MAP@{cutOff} | hit rate | coverage | wall time |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var m in Methods)
        {
            text.AppendLine(c, $"| {m.Method} | {m.Precision:F4} | {m.Recall:F4} | {m.Ndcg:F4} | {m.Map:F4} | {m.HitRate:F4} | {m.Coverage:F4} | {m.Elapsed.TotalMilliseconds:F0} ms |");
        }

        text.AppendLine();
        text.AppendLine(c, $"Best NDCG / most-popular NDCG = {BestNdcgOverBaseline:F2}");
        return text.ToString();
    }
}
