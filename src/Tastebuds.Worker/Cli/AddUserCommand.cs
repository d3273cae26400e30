using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Tastebuds.Worker.Cli;

/// <summary>
/// <c>add-user NAME...</c>: adds Last.fm users through <c>add_lastfm_user</c>, all or none (one bad name adds nobody).
/// A running daemon fetches and serves them at its next <c>Schedules:NewUsers</c> poll.
/// </summary>
internal static class AddUserCommand
{
    public static Command Create()
    {
        var names = new Argument<string[]>("username")
        {
            Description = "One or more Last.fm usernames (case-insensitive; an existing user is made active again).",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("add-user",
            "Add Last.fm users to lastfm_users (same as SELECT add_lastfm_user(name)). A running daemon fetches them and gives "
            + "them neighbours and recommendations within a minute or two (Schedules:NewUsers). Exit code 2 when a name is not usable; "
            + "then nobody is added.")
        {
            names,
        };
        command.SetAction((parse, _) => Verb.RunAsync((host, ct) => AddAsync(host.Services, parse.GetValue(names)!, ct), migrate: true));
        return command;
    }

    private static async Task<int> AddAsync(IServiceProvider services, string[] names, CancellationToken ct)
    {
        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var added = new List<(string Name, long Id, bool New)>();
        foreach (var name in names)
        {
            await using var command = new NpgsqlCommand(
                "SELECT NOT EXISTS (SELECT 1 FROM lastfm_users WHERE lower(username) = lower(btrim($1))), add_lastfm_user($1)", connection)
            {
                Parameters = { new() { Value = name } },
            };
            try
            {
                await using var reader = await command.ExecuteReaderAsync(ct);
                await reader.ReadAsync(ct);
                added.Add((name.Trim(), reader.GetInt64(1), reader.GetBoolean(0)));
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidParameterValue)
            {
                // The function's message names the value (escaped for the terminal); nothing was added.
                Console.Error.WriteLine($"Not added: {TerminalText.Escape(e.MessageText)}. Nobody was added.");
                return ExitCodes.ConfigurationError;
            }
        }

        await transaction.CommitAsync(ct);
        foreach (var (name, id, isNew) in added)
        {
            Console.WriteLine(isNew
                ? $"Added {TerminalText.Escape(name)} (id {id}): the daemon fetches them at its next new-users poll."
                : $"Already known: {TerminalText.Escape(name)} (id {id}); active.");
        }

        return ExitCodes.Ok;
    }
}
