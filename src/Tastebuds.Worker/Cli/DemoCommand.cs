using System.CommandLine;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Tastebuds.Worker.Database;

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

        var (exitCode, run) = await RunOnceCommand.RunPipelineAsync(services, ct);
        if (run.Recommendations is null)
        {
            // The chain stopped (the key was rejected, nobody was fetched): nothing new to show.
            return exitCode;
        }

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

        return exitCode;
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
        var table = OutputTable.Create().Column("table").Column("rows", right: true);
        foreach (var name in (string[])["lastfm_users", "artists", "albums", "tracks", "user_track_interactions",
                     "user_album_interactions", "user_artist_interactions", "user_personal_tags", "user_friends", "user_similarities",
                     "collaborative_recommendations", "data_fetch_logs"])
        {
            var rows = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT count(*) FROM {name}", cancellationToken: ct));
            table.Row(name, rows.ToString("N0", CultureInfo.InvariantCulture));
        }

        OutputTable.Print(table);
    }
}
