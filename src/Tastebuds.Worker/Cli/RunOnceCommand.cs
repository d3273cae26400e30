using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Tastebuds.Worker.Fetching;
using Tastebuds.Worker.Recommendations;
using Tastebuds.Worker.Similarity;

namespace Tastebuds.Worker.Cli;

/// <summary><c>run-once</c>: the daemon's chain (fetch → similarities → recommendations) once, in the foreground, then exit.</summary>
internal static class RunOnceCommand
{
    public static Command Create()
    {
        var command = new Command("run-once",
            "Apply pending migrations, then run the whole pipeline once: fetch every user (Lastfm:Users plus the active rows of "
            + "lastfm_users), recalculate similarities, generate recommendations; print one summary line per stage "
            + "('Fetched ...', 'Similarities: ...', 'Recommendations: ...') and exit. A progress bar is drawn only when stdout is a "
            + "terminal. Exit code as fetch: 0 when every user succeeded or was skipped, 5 when any user failed (the later stages "
            + "still run on what was fetched), 4 when Last.fm rejected the API key (the run stops before similarities).");
        command.SetAction((_, _) => Verb.RunAsync((host, ct) => RunAsync(host.Services, ct), migrate: true, showsProgress: true));
        return command;
    }

    private static async Task<int> RunAsync(IServiceProvider services, CancellationToken ct)
    {
        var runner = services.GetRequiredService<FetchRunner>();
        var fetch = await FetchProgressDisplay.RunAsync(progress => runner.RunAsync(null, progress, ct));
        FetchProgressDisplay.PrintSummary(fetch);
        if (fetch.DatabaseError is not null)
        {
            return ExitCodes.DatabaseUnavailable;
        }

        if (fetch.KeyRejected)
        {
            Console.WriteLine("Stopped: Last.fm rejected the API key; similarities and recommendations were not run.");
            return ExitCodes.LastfmKeyRejected;
        }

        Console.WriteLine(StageSummary.Of(await services.GetRequiredService<SimilarityRecalculator>().RecalculateAsync(ct)));
        Console.WriteLine(StageSummary.Of(await services.GetRequiredService<RecommendationGenerator>().GenerateAsync(ct)));
        return FetchProgressDisplay.ExitCode(fetch);
    }
}
