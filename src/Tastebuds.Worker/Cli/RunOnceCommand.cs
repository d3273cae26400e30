using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Tastebuds.Worker.Runs;

namespace Tastebuds.Worker.Cli;

/// <summary><c>run-once</c>: the daemon's chain (fetch → similarities → recommendations) once, in the foreground, then exit.</summary>
internal static class RunOnceCommand
{
    public static Command Create()
    {
        var command = new Command("run-once",
            "Apply pending migrations, then run the whole pipeline once: fetch every user (Lastfm:Users plus the active rows of "
            + "lastfm_users), recalculate similarities, generate recommendations; print one summary line per stage "
            + "('Fetched ...', 'Similarities: ...', 'Recommendations: ...') and exit. As in the daemon, similarities and "
            + "recommendations run only when the fetch stored at least one user. A progress bar is drawn only when stdout is a "
            + "terminal. Exit code as fetch: 0 when every user succeeded or was skipped, 5 when any user failed (the later stages "
            + "still run on what was fetched), 4 when Last.fm rejected the API key (when no user was stored first, the run stops "
            + "before similarities), 3 when the database stayed away.");
        command.SetAction((_, _) => Verb.RunAsync((host, ct) => RunAsync(host.Services, ct), migrate: true, showsProgress: true));
        return command;
    }

    /// <summary>The chain once with its summary lines on stdout; shared with <c>demo</c>. The exit code is the fetch's.</summary>
    public static async Task<(int ExitCode, PipelineRun Run)> RunPipelineAsync(IServiceProvider services, CancellationToken ct)
    {
        var run = await services.GetRequiredService<Pipeline>().RunAsync(FetchProgressDisplay.RunAsync, Console.WriteLine, ct);
        return (FetchProgressDisplay.ExitCode(run.Fetch), run);
    }

    private static async Task<int> RunAsync(IServiceProvider services, CancellationToken ct) => (await RunPipelineAsync(services, ct)).ExitCode;
}
