using Spectre.Console;
using Tastebuds.Worker.Fetching;
using Tastebuds.Worker.Runs;

namespace Tastebuds.Worker.Cli;

/// <summary>A live progress bar for fetch runs on a terminal; nothing at all when output goes to a log.</summary>
internal static class FetchProgressDisplay
{
    /// <summary>True when stdout is an interactive terminal: only then is a bar drawn (a pipe or a log file gets the summary lines alone).</summary>
    public static bool Enabled => AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected;

    public static async Task<FetchRunResult> RunAsync(Func<IProgress<FetchProgress>?, Task<FetchRunResult>> run)
    {
        if (!Enabled)
        {
            return await run(null);
        }

        FetchRunResult? result = null;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("fetching users");
                var progress = new Progress<FetchProgress>(p =>
                {
                    task.MaxValue = Math.Max(1, p.Total);
                    task.Value = p.Done;
                    task.Description = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                        $"{p.Done}/{p.Total} users, {p.Skipped} skipped, {p.Failed} failed, {p.Requests} req ({p.Retries} retried), {p.RequestsPerSecond:0}/s");
                });
                result = await run(progress);
                task.Value = task.MaxValue;
            });
        return result!;
    }

    public static void PrintSummary(FetchRunResult result)
    {
        foreach (var line in StageSummary.Of(result))
        {
            Console.WriteLine(line);
        }
    }

    public static int ExitCode(FetchRunResult result) =>
        result.DatabaseError is not null ? ExitCodes.DatabaseUnavailable
        : result.KeyRejected ? ExitCodes.LastfmKeyRejected
        : result.Failed > 0 ? ExitCodes.PartialFailure
        : ExitCodes.Ok;
}
