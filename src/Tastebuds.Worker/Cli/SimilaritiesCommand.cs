using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Tastebuds.Worker.Runs;

namespace Tastebuds.Worker.Cli;

/// <summary><c>similarities</c>: one similarity recalculation against the configured database, then exit.</summary>
internal static class SimilaritiesCommand
{
    public static Command Create()
    {
        var command = new Command("similarities",
            "Apply pending migrations, recalculate user similarities (cosine, Jaccard, Pearson top-K neighbours) from the stored "
            + "interactions, replace user_similarities in one transaction, print a one-line summary "
            + "('Similarities: N users, P pairs evaluated, R neighbours written (cosine C, jaccard J, pearson P) ...') and exit 0.");
        command.SetAction((_, _) => Verb.RunAsync(async (host, ct) =>
        {
            var result = await host.Services.GetRequiredService<Pipeline>().RecalculateAsync(ct);
            Console.WriteLine(StageSummary.Of(result));
            return ExitCodes.Ok;
        }, migrate: true));
        return command;
    }
}
