using System.CommandLine;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Spectre.Console;
using Tastebuds.Worker.Database;
using Tastebuds.Worker.Fetching;

namespace Tastebuds.Worker.Cli;

/// <summary><c>demo</c>: one full cycle on embedded defaults, then a look at what it produced.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var command = new Command("demo",
            "Run one full cycle on embedded defaults (private PostgreSQL, offline Last.fm sandbox unless Lastfm__ApiKey is set) and print what it produced.");
        command.SetAction((_, _) => Verb.RunAsync((host, ct) => RunAsync(host.Services, ct), DemoSandbox.StartIfNoKeyAsync));
        return command;
    }

    private static async Task<int> RunAsync(IServiceProvider services, CancellationToken ct)
    {
        var endpoint = services.GetRequiredService<DatabaseEndpoint>();
        Console.WriteLine($"Database  {endpoint.Describe()}");

        var migration = await services.GetRequiredService<SchemaMigrator>().MigrateAsync(ct);
        Console.WriteLine($"Schema    {migration.Version} ({migration.Applied.Count} script(s) applied now)");

        var runner = services.GetRequiredService<FetchRunner>();
        var fetch = await FetchProgressDisplay.RunAsync(progress => runner.RunAsync(null, progress, ct));
        FetchProgressDisplay.PrintSummary(fetch);

        await PrintTablesAsync(services.GetRequiredService<NpgsqlDataSource>(), ct);
        return FetchProgressDisplay.ExitCode(fetch);
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
