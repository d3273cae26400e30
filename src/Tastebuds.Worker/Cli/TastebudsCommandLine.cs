using System.CommandLine;

namespace Tastebuds.Worker.Cli;

/// <summary>The worker's command line: no verb runs the daemon; verbs do one thing and exit.</summary>
public static class TastebudsCommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand(
            "Tastebuds: collaborative-filtering music recommendations from Last.fm listening data, in PostgreSQL.\n"
            + "With no verb it runs as a daemon: migrations, then the scheduled jobs, until stopped.\n"
            + "Verbs that write (fetch, run-once, similarities, recommendations) apply pending migrations first; the others expect a migrated database.\n"
            + "Exit codes: 0 ok, 1 unexpected failure, 2 configuration error, 3 database unreachable or migration failed, "
            + "4 Last.fm API key rejected, 5 partial failure (some users failed), 130 cancelled.");
        root.SetAction((_, ct) => DaemonCommand.RunAsync(ct));
        root.Subcommands.Add(MigrateCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(FetchCommand.Create());
        root.Subcommands.Add(SimilaritiesCommand.Create());
        root.Subcommands.Add(RecommendationsCommand.Create());
        root.Subcommands.Add(RunOnceCommand.Create());
        root.Subcommands.Add(SimilarCommand.Create());
        root.Subcommands.Add(RecommendCommand.Create());
        root.Subcommands.Add(EvaluateCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(AddUserCommand.Create());
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var parse = Build().Parse(args);
        // Signals are handled by the host (daemon) or by each verb, so that shutdown is graceful, not cut after 2 s.
        var code = await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });

        // A bad command line is the operator's input gone wrong, like a bad setting: same exit code, never restarted.
        return parse.Errors.Count > 0 ? ExitCodes.ConfigurationError : code;
    }
}
