using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Tastebuds.Worker.Database;
using Tastebuds.Worker.Fetching;
using Tastebuds.Worker.Runs;

namespace Tastebuds.Worker.Cli;

/// <summary><c>status [--limit N] [--stale-after AGE]</c>: what the worker did last and who needs a look. Reads only.</summary>
internal static class StatusCommand
{
    public static readonly TimeSpan DefaultStaleAfter = TimeSpan.FromDays(14);

    public static Command Create()
    {
        // 0 is allowed here: it leaves the users table empty and keeps the other two (docs/operations.md).
        var limit = new Option<int>("--limit")
        {
            Description = $"Most users to list in the users table (most plays first), 0 to {OptionRules.MaxLimit}; 0 lists none.",
            DefaultValueFactory = _ => 20,
        }.InRange(0, OptionRules.MaxLimit);
        var staleAfter = new Option<TimeSpan>("--stale-after")
        {
            Description = "A user not fetched successfully for longer than this is stale: 14d, 36h, 90m, 30s or 14.00:00:00; at most 3650d.",
            DefaultValueFactory = _ => DefaultStaleAfter,
            CustomParser = r =>
            {
                if (StaleUsers.TryParseAge(r.Tokens[0].Value, out var age))
                {
                    return age;
                }

                r.AddError($"--stale-after: '{TerminalText.Escape(r.Tokens[0].Value)}' is not an age such as 14d, 36h, 90m, 30s or 14.00:00:00, of at most 3650d.");
                return default;
            },
        };
        var command = new Command("status",
            "Show what the worker did and who needs a look, as three tables: 'Last runs' (the latest data_fetch_logs row of each job: "
            + "job, status, started, duration, counts, error), 'Users' (per-user counts from the view user_listening_stats, most plays "
            + "first) and 'Stale or failing users' (last fetch failed, skipped with Last.fm error 6 or 17, never fetched, or not "
            + "fetched for longer than --stale-after). Reads only; does not migrate. Exit code 0.")
        {
            limit, staleAfter,
        };
        command.SetAction((parse, _) => Verb.RunAsync((host, ct) =>
            ShowAsync(host.Services, parse.GetValue(limit), parse.GetValue(staleAfter), ct)));
        return command;
    }

    private static async Task<int> ShowAsync(IServiceProvider services, int limit, TimeSpan staleAfter, CancellationToken ct)
    {
        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        Console.WriteLine($"Database  {TerminalText.Escape(services.GetRequiredService<DatabaseEndpoint>().Describe())}");
        Console.WriteLine($"Now       {Time(now.UtcDateTime)} UTC");

        Console.WriteLine();
        var runs = await StatusQueries.LastRunsAsync(dataSource, ct);
        Console.WriteLine("Last runs (times UTC):");
        var table = OutputTable.Create().Column("job").Column("status").Column("started").Column("duration", right: true).Column("counts").Column("error");
        foreach (var job in JobOrder)
        {
            var run = runs.FirstOrDefault(r => r.Job == job);
            table.Row(run is null
                ? [job, "never run", "-", "-", "-", ""]
                : [job, run.IsAbandoned ? RunNames.ToSql(StepStatus.Abandoned) : run.Status, Time(run.StartedAt), Duration(run, now), StatusCounts.Of(run), Error(run.ErrorCode, run.ErrorMessage)]);
        }

        OutputTable.Print(table);

        Console.WriteLine();
        var (top, total) = await StatusQueries.UserStatsAsync(dataSource, limit, ct);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Users: {top.Count} of {total}, most plays first (user_listening_stats):"));
        var users = OutputTable.Create().Column("user").Column("active").Column("last fetched").Column("plays", right: true)
            .Column("tracks", right: true).Column("loved", right: true).Column("albums", right: true).Column("artists", right: true)
            .Column("neighbours", right: true).Column("recommendations", right: true);
        foreach (var u in top)
        {
            users.Row(u.Username, u.IsActive ? "yes" : "no", u.LastFetchedAt is { } at ? Time(at) : "never", N(u.Plays), N(u.Tracks), N(u.Loved),
                N(u.Albums), N(u.Artists), N(u.Neighbours), N(u.Recommendations));
        }

        OutputTable.Print(users);

        Console.WriteLine();
        var configured = await services.GetRequiredService<FetchUserDirectory>().ListAsync(ct);
        var states = await StatusQueries.UserFetchStatesAsync(dataSource, configured, ct);
        var flagged = states.Select(s => (State: s, Reason: StaleUsers.Reason(s, now, staleAfter))).Where(s => s.Reason is not null).ToList();
        var threshold = StaleUsers.Age(staleAfter);
        if (flagged.Count == 0)
        {
            Console.WriteLine($"Stale or failing users: none of {states.Count} (all fetched within {threshold}).");
            return ExitCodes.Ok;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Stale or failing users: {flagged.Count} of {states.Count} (last fetch failed, skipped with an error, never fetched, or not fetched for more than {threshold}):"));
        var stale = OutputTable.Create().Column("user").Column("reason").Column("last attempt").Column("last status").Column("last fetched").Column("error");
        foreach (var (s, reason) in flagged)
        {
            stale.Row(s.Username, reason!, s.LastAttemptAt is { } a ? Time(a) : "never", s.LastStatus ?? "-",
                s.LastFetchedAt is { } f ? Time(f) : "never", Error(s.ErrorCode, s.ErrorMessage));
        }

        OutputTable.Print(stale);
        return ExitCodes.Ok;
    }

    /// <summary>Pipeline order, so the table reads like the chain the daemon runs.</summary>
    private static readonly string[] JobOrder =
        [.. new[] { JobType.FetchUsers, JobType.FetchUser, JobType.RecalculateSimilarities, JobType.GenerateRecommendations }.Select(RunNames.ToSql)];

    private static string Time(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Duration(JobRun run, DateTimeOffset now)
    {
        if (run.IsAbandoned)
        {
            return "-";
        }

        if (run.DurationMs is not { } ms)
        {
            return "running " + Span(now - new DateTimeOffset(DateTime.SpecifyKind(run.StartedAt, DateTimeKind.Utc)));
        }

        return Span(TimeSpan.FromMilliseconds(ms));
    }

    private static string Span(TimeSpan span) => span.TotalSeconds < 60
        ? string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, span.TotalSeconds):0.0} s")
        : span.TotalHours < 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes}m {span.Seconds:00}s")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}h {span.Minutes:00}m");

    private static string Error(int? code, string? message)
    {
        var text = code is { } c ? string.Create(CultureInfo.InvariantCulture, $"{c}: {message}") : message ?? "";
        return text.Length > 80 ? text[..77] + "..." : text;
    }
}
