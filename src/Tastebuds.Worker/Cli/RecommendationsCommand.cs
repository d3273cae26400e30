using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Tastebuds.Worker.Recommendations;

namespace Tastebuds.Worker.Cli;

/// <summary><c>recommendations</c>: one recommendation generation from the stored neighbours, then exit.</summary>
internal static class RecommendationsCommand
{
    public static Command Create()
    {
        var command = new Command("recommendations",
            "Generate recommendations from the stored neighbours (user_similarities, Algorithm:PrimaryMetric), replace "
            + "collaborative_recommendations in one transaction, print a one-line summary and exit.");
        command.SetAction((_, _) => Verb.RunAsync(async (host, ct) =>
        {
            var r = await host.Services.GetRequiredService<RecommendationGenerator>().GenerateAsync(ct);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Recommendations: {r.RowsWritten:N0} written for {r.UsersWithRecommendations:N0} of {r.Users:N0} users "
                + $"({string.Join(", ", r.Metrics)}; {r.NeighboursUsed:N0} stored neighbours) in {r.Elapsed.TotalSeconds:0.00} s, run {r.RunId}"));
            return ExitCodes.Ok;
        }));
        return command;
    }
}
