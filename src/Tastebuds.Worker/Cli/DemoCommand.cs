using System.CommandLine;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Spectre.Console;
using Tastebuds.Worker.Database;

namespace Tastebuds.Worker.Cli;

/// <summary><c>demo</c>: one full cycle on embedded defaults, then a look at what it produced.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var command = new Command("demo", "Run one full cycle on embedded defaults (private PostgreSQL, offline Last.fm sandbox) and print what it produced.");
        command.SetAction((_, ct) => Verb.RunAsync((host, token) => RunAsync(host.Services, token)));
        return command;
    }

    private static async Task<int> RunAsync(IServiceProvider services, CancellationToken ct)
    {
        var endpoint = services.GetRequiredService<DatabaseEndpoint>();
        Console.WriteLine($"Database  {endpoint.Describe()}");

        var migration = await services.GetRequiredService<SchemaMigrator>().MigrateAsync(ct);
        Console.WriteLine($"Schema    {migration.Version} ({migration.Applied.Count} script(s) applied now)");

        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var relations = await connection.QueryAsync<Relation>(new CommandDefinition(
            """
            SELECT c.relname AS Name,
                   CASE c.relkind WHEN 'v' THEN 'view' ELSE 'table' END AS Kind,
                   coalesce(s.n_live_tup, 0) AS Rows
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v') AND c.relname <> 'schemaversions'
            ORDER BY c.relkind, c.relname
            """, cancellationToken: ct));

        var table = new Table().AddColumn("relation").AddColumn("kind").AddColumn(new TableColumn("rows (estimate)").RightAligned());
        foreach (var relation in relations)
        {
            table.AddRow(relation.Name, relation.Kind, relation.Kind == "view" ? "" : relation.Rows.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(table);
        return ExitCodes.Ok;
    }

    private sealed record Relation(string Name, string Kind, long Rows);
}
