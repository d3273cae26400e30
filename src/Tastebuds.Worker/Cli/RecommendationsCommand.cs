using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Tastebuds.Worker.Runs;

namespace Tastebuds.Worker.Cli;

/// <summary><c>recommendations</c>: one recommendation generation from the stored neighbours, then exit.</summary>
internal static class RecommendationsCommand
{
    public static Command Create()
    {
        var command = new Command("recommendations",
            "Apply pending migrations, generate recommendations from the stored neighbours (user_similarities, Algorithm:PrimaryMetric), "
            + "replace collaborative_recommendations in one transaction, print a one-line summary "
            + "('Recommendations: R written for U of N users (metric; ...)') and exit 0.");
        command.SetAction((_, _) => Verb.RunAsync(async (host, ct) =>
        {
            var result = await host.Services.GetRequiredService<Pipeline>().GenerateAsync(ct);
            Console.WriteLine(StageSummary.Of(result));
            return ExitCodes.Ok;
        }, migrate: true));
        return command;
    }
}
