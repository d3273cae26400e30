using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Tastebuds.Worker.Recommendations;
using Tastebuds.Worker.Similarity;

namespace Tastebuds.Worker.Cli;

/// <summary><c>recommend --user NAME [--limit N] [--metric M]</c>: a user's recommendations through get_collaborative_recommendations.</summary>
internal static class RecommendCommand
{
    public static Command Create()
    {
        var user = new Option<string>("--user") { Description = "Last.fm username (case-insensitive; not empty).", Required = true }.NotBlank();
        var limit = new Option<int>("--limit")
        {
            Description = $"Most recommendations to show, 1 to {OptionRules.MaxLimit}.",
            DefaultValueFactory = _ => 10,
        }.InRange(1, OptionRules.MaxLimit);
        var metric = new Option<string?>("--metric")
        {
            Description = "The method whose rows to show: cosine, jaccard, pearson (user-kNN), item-knn, rp3beta, als or hybrid; "
                + "default: the method generated most recently for the user.",
        };
        metric.AcceptOnlyFromAmong(MetricNames.Cosine, MetricNames.Jaccard, MetricNames.Pearson, RecommenderNames.ItemKnn,
            RecommenderNames.Rp3Beta, RecommenderNames.Als, RecommenderNames.Hybrid);
        var command = new Command("recommend",
            "Show a user's recommendations as the read API get_collaborative_recommendations returns them: rank, track, artist, "
            + "score, supporting neighbours (user-kNN) or reasons (models), and the first two reasons: neighbours, tracks you play, or a "
            + "hybrid's component shares. Exit code 1 when the user is unknown.")
        {
            user, limit, metric,
        };
        command.SetAction((parse, _) => Verb.RunAsync((host, ct) =>
            ShowAsync(host.Services, parse.GetValue(user)!.Trim(), parse.GetValue(limit), parse.GetValue(metric), ct)));
        return command;
    }

    /// <summary>Prints a user's recommendations; the <c>demo</c> verb shows its user the same way.</summary>
    public static async Task<int> ShowAsync(IServiceProvider services, string name, int limit, string? metric, CancellationToken ct)
    {
        var queries = services.GetRequiredService<RecommendationQueries>();
        var stored = await queries.FindUserAsync(name, ct);
        if (stored is null)
        {
            Console.Error.WriteLine($"Unknown user '{TerminalText.Escape(name)}': not in lastfm_users (fetch them first).");
            return ExitCodes.Failed;
        }

        var rows = await queries.RecommendAsync(stored, Math.Max(0, limit), metric, ct);
        if (rows.Count == 0)
        {
            Console.WriteLine($"No recommendations for {TerminalText.Escape(stored)} yet: run 'similarities' then 'recommendations', or the user has no neighbours.");
            return ExitCodes.Ok;
        }

        Console.WriteLine($"Recommendations for {TerminalText.Escape(stored)} ({rows[0].Metric}):");
        var table = OutputTable.Create().Column("rank", right: true).Column("track").Column("artist").Column("score", right: true)
            .Column(rows[0].ByNeighbours ? "neighbours" : "reasons", right: true).Column("because of");
        foreach (var r in rows)
        {
            table.Row(r.Rank.ToString(CultureInfo.InvariantCulture), r.Track, r.Artist, r.Score.ToString("0.0000", CultureInfo.InvariantCulture),
                r.SupportingNeighbours.ToString(CultureInfo.InvariantCulture), string.Join("; ", r.Reasons.Take(2)));
        }

        OutputTable.Print(table);
        return ExitCodes.Ok;
    }
}
