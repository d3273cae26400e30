using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Tastebuds.Worker.Database;

namespace Tastebuds.Worker.Cli;

/// <summary><c>migrate</c>: applies the embedded migrations to the configured database and prints what it applied.</summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        var command = new Command("migrate", "Apply the database migrations to the configured database, print the scripts applied, and exit.");
        command.SetAction((_, ct) => Verb.RunAsync(async (host, token) =>
        {
            var endpoint = host.Services.GetRequiredService<DatabaseEndpoint>();
            var result = await host.Services.GetRequiredService<SchemaMigrator>().MigrateAsync(token);
            Console.WriteLine($"Database: {TerminalText.Escape(endpoint.Describe())}");
            Console.WriteLine(result.Applied.Count == 0
                ? "No script to apply: the schema is up to date."
                : $"Applied {result.Applied.Count} script(s):");
            foreach (var script in result.Applied)
            {
                Console.WriteLine($"  {script}");
            }

            Console.WriteLine($"Schema version: {result.Version}");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
