using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Tastebuds.Worker.Similarity;

namespace Tastebuds.Worker.Cli;

/// <summary><c>similarities</c>: one similarity recalculation against the configured database, then exit.</summary>
internal static class SimilaritiesCommand
{
    public static Command Create()
    {
        var command = new Command("similarities",
            "Recalculate user similarities (cosine, Jaccard, Pearson top-K neighbours) from the stored interactions, "
            + "replace user_similarities in one transaction, print a one-line summary and exit.");
        command.SetAction((_, _) => Verb.RunAsync(async (host, ct) =>
        {
            var r = await host.Services.GetRequiredService<SimilarityRecalculator>().RecalculateAsync(ct);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Similarities: {r.Users:N0} users, {r.PairsEvaluated:N0} pairs evaluated, {r.RowsWritten:N0} neighbours written "
                + $"(cosine {r.CosineNeighbours:N0}, jaccard {r.JaccardNeighbours:N0}, pearson {r.PearsonNeighbours:N0}) in {r.Elapsed.TotalSeconds:0.00} s, run {r.RunId}"));
            return ExitCodes.Ok;
        }));
        return command;
    }
}
