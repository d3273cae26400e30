using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tastebuds.Worker.Recommendations;
using Tastebuds.Worker.Similarity;

namespace Tastebuds.Worker.Cli;

/// <summary><c>similar --user NAME [--metric M] [--limit N]</c>: a user's stored neighbours as a table.</summary>
internal static class SimilarCommand
{
    public static Command Create()
    {
        var user = new Option<string>("--user") { Description = "Last.fm username (case-insensitive; not empty).", Required = true }.NotBlank();
        var metric = new Option<string?>("--metric") { Description = "cosine, jaccard or pearson; default Algorithm:PrimaryMetric (cosine when it is all)." };
        metric.AcceptOnlyFromAmong(MetricNames.Cosine, MetricNames.Jaccard, MetricNames.Pearson);
        var limit = new Option<int>("--limit")
        {
            Description = $"Most neighbours to show, 1 to {OptionRules.MaxLimit}.",
            DefaultValueFactory = _ => 10,
        }.InRange(1, OptionRules.MaxLimit);
        var command = new Command("similar",
            "Show a user's most similar users from user_similarities: rank, user, combined score, per-kind scores, shared items. "
            + "Exit code 1 when the user is unknown.")
        {
            user, metric, limit,
        };
        command.SetAction((parse, _) => Verb.RunAsync((host, ct) =>
            ShowAsync(host.Services, parse.GetValue(user)!.Trim(), parse.GetValue(metric), parse.GetValue(limit), ct)));
        return command;
    }

    /// <summary>Prints a user's stored neighbours; the <c>demo</c> verb shows its user the same way.</summary>
    public static async Task<int> ShowAsync(IServiceProvider services, string name, string? metric, int limit, CancellationToken ct)
    {
        var queries = services.GetRequiredService<RecommendationQueries>();
        var stored = await queries.FindUserAsync(name, ct);
        if (stored is null)
        {
            Console.Error.WriteLine($"Unknown user '{TerminalText.Escape(name)}': not in lastfm_users (fetch them first).");
            return ExitCodes.Failed;
        }

        var primary = services.GetRequiredService<IOptions<AlgorithmOptions>>().Value.PrimaryMetric.ToLowerInvariant();
        var chosen = metric ?? (primary == "all" ? "cosine" : primary);
        var rows = await queries.SimilarAsync(stored, chosen, Math.Max(0, limit), ct);
        if (rows.Count == 0)
        {
            Console.WriteLine($"No {chosen} neighbours stored for {TerminalText.Escape(stored)}: run 'similarities' first, or the user shares too little with others.");
            return ExitCodes.Ok;
        }

        Console.WriteLine($"Users most similar to {TerminalText.Escape(stored)} ({chosen}):");
        var table = OutputTable.Create().Column("rank", right: true).Column("user").Column("score", right: true)
            .Column("tracks", right: true).Column("albums", right: true).Column("artists", right: true).Column("shared items", right: true);
        foreach (var r in rows)
        {
            table.Row(Num(r.Rank), r.Username, Score(r.Score), Score(r.TrackScore), Score(r.AlbumScore), Score(r.ArtistScore), Num(r.SharedItems));
        }

        OutputTable.Print(table);
        return ExitCodes.Ok;
    }

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Score(double? value) => value?.ToString("0.0000", CultureInfo.InvariantCulture) ?? "-";
}
