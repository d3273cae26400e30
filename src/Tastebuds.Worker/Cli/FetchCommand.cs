using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Tastebuds.Worker.Runs;

namespace Tastebuds.Worker.Cli;

/// <summary><c>fetch [--user NAME]</c>: one fetch run against the configured Last.fm base URL, then exit.</summary>
internal static class FetchCommand
{
    public static Command Create()
    {
        var user = new Option<string[]>("--user")
        {
            Description = "Fetch only this user (repeatable; not empty, surrounding white space ignored); default: Lastfm:Users plus the active rows of lastfm_users.",
            AllowMultipleArgumentsPerToken = false,
        };
        user.NotBlank();
        var command = new Command("fetch",
            "Apply pending migrations, fetch users from Last.fm into the database, print one summary line "
            + "('Fetched N user(s): S succeeded, K skipped, F failed; R requests, T retries (run ID)') and exit. "
            + "A progress bar is drawn only when stdout is a terminal. Exit code 0 when every user succeeded or was skipped "
            + "(private, unknown), 5 when any user failed, 4 when Last.fm rejected the API key.")
        {
            user,
        };
        command.SetAction((parse, _) => Verb.RunAsync(async (host, ct) =>
        {
            // Trimmed as the configured users are (FetchUserDirectory).
            var users = (parse.GetValue(user) ?? []).Select(u => u.Trim()).ToArray();
            var pipeline = host.Services.GetRequiredService<Pipeline>();
            var result = await FetchProgressDisplay.RunAsync(progress => pipeline.FetchAsync(users, progress, waitForOtherRun: false, ct));
            FetchProgressDisplay.PrintSummary(result);
            return FetchProgressDisplay.ExitCode(result);
        }, migrate: true, showsProgress: true));
        return command;
    }
}
