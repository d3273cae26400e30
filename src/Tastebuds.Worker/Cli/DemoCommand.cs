using System.CommandLine;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Spectre.Console;
using Tastebuds.Worker.Database;
using Tastebuds.Worker.Fetching;
using Tastebuds.Worker.Recommendations;
using Tastebuds.Worker.Similarity;

namespace Tastebuds.Worker.Cli;

/// <summary><c>demo</c>: one full cycle on embedded defaults, then a look at what it produced.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var command = new Command("demo",
            "Run one full cycle on embedded defaults (private PostgreSQL, offline Last.fm sandbox unless Lastfm__ApiKey is set) and print what it produced.");
        command.SetAction((_, _) => Verb.RunAsync((host, ct) => RunAsync(host.Services, ct), DemoSandbox.StartIfNoKeyAsync, showsProgress: true));
        return command;
    }

    private static async Task<int> RunAsync(IServiceProvider services, CancellationToken ct)
    {
        var endpoint = services.GetRequiredService<DatabaseEndpoint>();
        Console.WriteLine($"Database  {TerminalText.Escape(endpoint.Describe())}");

        var migration = await services.GetRequiredService<SchemaMigrator>().MigrateAsync(ct);
        Console.WriteLine($"Schema    {migration.Version} ({migration.Applied.Count} script(s) applied now)");

        var runner = services.GetRequiredService<FetchRunner>();
        var fetch = await FetchProgressDisplay.RunAsync(progress => runner.RunAsync(null, progress, ct));
        FetchProgressDisplay.PrintSummary(fetch);
        if (fetch.KeyRejected)
        {
            return ExitCodes.LastfmKeyRejected;
        }

        var similarities = await services.GetRequiredService<SimilarityRecalculator>().RecalculateAsync(ct);
        Console.WriteLine(StageSummary.Of(similarities));
        var recommendations = await services.GetRequiredService<RecommendationGenerator>().GenerateAsync(ct);
        Console.WriteLine(StageSummary.Of(recommendations));

        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        await PrintTablesAsync(dataSource, ct);
        var showcase = await ShowcaseUserAsync(dataSource, ct);
        if (showcase is not null)
        {
            Console.WriteLine();
            await RecommendCommand.ShowAsync(services, showcase, 10, null, ct);
            Console.WriteLine();
            await SimilarCommand.ShowAsync(services, showcase, null, 5, ct);
            Console.WriteLine();
            Console.WriteLine($"Try: dotnet run --project src/Tastebuds.Worker -- recommend --user {TerminalText.Escape(showcase)}");
        }

        return FetchProgressDisplay.ExitCode(fetch);
    }

    /// <summary>The user with the most recommendations (then the strongest), to show what the run produced.</summary>
    private static async Task<string?> ShowcaseUserAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            """
            SELECT u.username
            FROM collaborative_recommendations r JOIN lastfm_users u ON u.id = r.user_id
            GROUP BY u.username
            ORDER BY count(*) DESC, max(r.recommendation_score) DESC, u.username
            LIMIT 1
            """, cancellationToken: ct));
    }

    private static async Task PrintTablesAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var table = new Table().AddColumn("table").AddColumn(new TableColumn("rows").RightAligned());
        foreach (var name in (string[])["lastfm_users", "artists", "albums", "tracks", "user_track_interactions",
                     "user_album_interactions", "user_artist_interactions", "user_similarities", "collaborative_recommendations", "data_fetch_logs"])
        {
            var rows = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT count(*) FROM {name}", cancellationToken: ct));
            table.AddRow(name, rows.ToString("N0", CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(table);
    }
}
