using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Tastebuds.Sandbox;
using Tastebuds.Sandbox.World;
using Tastebuds.Worker.Cli;
using Tastebuds.Worker.Database;
using Tastebuds.Worker.Fetching;

namespace Tastebuds.Benchmarks;

/// <summary>
/// `budget [users] [changed]`: Last.fm requests spent on a second weekly cycle. A generated world (seed 42) is fetched
/// once; it then advances a week (a share <c>changed</c> of the users listen more or change a love, 1 % new users,
/// added as applications add them: a row in lastfm_users) and is fetched again. Four configurations, each on its own
/// database: "before" (every fetch full, tags every time: Fetching:FullRefreshAfter = TagsRefreshAfter = 0, as the
/// worker fetched before change detection) and "after" (defaults), each with FetchLimits:TagsPerUser 5 and 0. The
/// stored data after the second cycle is compared with a full fetch of the changed world into a fresh database.
/// Requests are counted by the worker (attempts, retries included; no faults are injected, so there are none).
/// </summary>
internal static class BudgetMeasurement
{
    private const int RequestsPerWeek = 30 * 60 * 24 * 7;

    public static async Task RunAsync(string[] args)
    {
        var users = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
        var changed = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 0.2;
        var world = SandboxWorld.Generate(users, seed: 42);
        var state = Path.Combine(Path.GetTempPath(), $"tastebuds-budget-{Environment.ProcessId}");
        try
        {
            await using var postgres = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions { DataDirectory = state }, NullLogger.Instance, CancellationToken.None);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"world: {users} generated users (seed 42, {world.PrivateUsernames.Count} private), advanced one week with {changed:P0} changed and 1 % new"));
            Console.WriteLine("| configuration | cycle 1 requests/user | cycle 2 requests/user | cycle 2 unchanged | users a week per key at 30/min (cycle 2) | stored = full fetch of the changed world |");
            Console.WriteLine("|---|---|---|---|---|---|");
            foreach (var (name, tags, detect) in new[] { ("before, TagsPerUser 5", 5, false), ("after, TagsPerUser 5", 5, true), ("before, TagsPerUser 0", 0, false), ("after, TagsPerUser 0", 0, true) })
            {
                var settings = new Dictionary<string, string?> { ["FetchLimits:TagsPerUser"] = tags.ToString(CultureInfo.InvariantCulture) };
                if (!detect)
                {
                    settings["Fetching:FullRefreshAfter"] = "00:00:00";
                    settings["Fetching:TagsRefreshAfter"] = "00:00:00";
                }

                var database = "budget_" + new string([.. name.Where(char.IsLetterOrDigit)]).ToLowerInvariant();
                await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { World = world, ChangedFraction = changed });
                using var host = await PrepareAsync(postgres, database, sandbox, settings);
                var runner = host.Services.GetRequiredService<FetchRunner>();
                var first = await runner.RunAsync(null, null, CancellationToken.None);
                var next = sandbox.AdvanceWeeks(1);
                await AddUsersAsync(host, next.AddedUsernames);
                var clock = Stopwatch.StartNew();
                var second = await runner.RunAsync(null, null, CancellationToken.None);
                var elapsed = clock.Elapsed;

                await using var reference = await SandboxServer.StartAsync(new SandboxOptions { World = next });
                using var fresh = await PrepareAsync(postgres, database + "_ref", reference, settings);
                await AddUsersAsync(fresh, next.AddedUsernames);
                await fresh.Services.GetRequiredService<FetchRunner>().RunAsync(null, null, CancellationToken.None);
                var same = await FingerprintAsync(host) == await FingerprintAsync(fresh);

                var perUser2 = (double)second.Requests / second.Users;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {(double)first.Requests / first.Users:0.00} ({first.Requests:N0} for {first.Users:N0}) | {perUser2:0.00} ({second.Requests:N0} for {second.Users:N0}, {elapsed.TotalSeconds:0.0} s) | {second.Unchanged:N0} | {RequestsPerWeek / perUser2:N0} | {(same ? "yes" : "NO")} |"));
            }
        }
        finally
        {
            if (Directory.Exists(state))
            {
                Directory.Delete(state, recursive: true);
            }
        }
    }

    private static async Task AddUsersAsync(IHost host, IReadOnlyList<string> names)
    {
        await using var connection = await host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        await using var insert = new NpgsqlCommand("INSERT INTO lastfm_users (username) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING", connection)
        {
            Parameters = { new() { Value = names.ToArray() } },
        };
        await insert.ExecuteNonQueryAsync();
    }

    /// <summary>An md5 over every stored profile and interaction, by names (ids and our own timestamps differ between databases).</summary>
    private static async Task<string> FingerprintAsync(IHost host)
    {
        await using var connection = await host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT md5(string_agg(line, E'\n' ORDER BY line)) FROM (
                SELECT concat_ws('|', 'u', username, real_name, country, total_playcount, registered_at, profile_url, image_url) AS line FROM lastfm_users
                UNION ALL
                SELECT concat_ws('|', 't', u.username, a.name, t.name, i.play_count, i.is_loved, i.loved_at, i.rank, i.period, array_to_string(i.tags, ','))
                FROM user_track_interactions i JOIN lastfm_users u ON u.id = i.user_id JOIN tracks t ON t.id = i.track_id JOIN artists a ON a.id = t.artist_id
                UNION ALL
                SELECT concat_ws('|', 'al', u.username, a.name, al.name, i.play_count, i.loved_tracks, i.rank, i.period, array_to_string(i.tags, ','))
                FROM user_album_interactions i JOIN lastfm_users u ON u.id = i.user_id JOIN albums al ON al.id = i.album_id JOIN artists a ON a.id = al.artist_id
                UNION ALL
                SELECT concat_ws('|', 'ar', u.username, a.name, i.play_count, i.loved_tracks, i.rank, i.period, array_to_string(i.tags, ','))
                FROM user_artist_interactions i JOIN lastfm_users u ON u.id = i.user_id JOIN artists a ON a.id = i.artist_id
            ) lines
            """, connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<IHost> PrepareAsync(EmbeddedPostgres postgres, string database, SandboxServer sandbox, Dictionary<string, string?> extra)
    {
        await using (var admin = new NpgsqlConnection(postgres.ConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database}; CREATE DATABASE {database}", admin);
            await create.ExecuteNonQueryAsync();
        }

        var settings = new Dictionary<string, string?>(extra)
        {
            ["ConnectionStrings:Postgres"] = new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Database = database }.ConnectionString,
            ["Lastfm:BaseUrl"] = sandbox.BaseUrl.ToString(),
            ["Lastfm:ApiKey"] = "budget-measurement",
            ["RateLimiting:MaxRequestsPerMinute"] = "100000",
            ["RateLimiting:DelayBetweenUsers"] = "00:00:00",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        var names = sandbox.World.Users.Select(u => u.Name).Where(n => !sandbox.World.AddedUsernames.Contains(n)).ToList();
        for (var i = 0; i < names.Count; i++)
        {
            settings[$"Lastfm:Users:{i}"] = names[i];
        }

        var host = WorkerHost.CreateBuilder(settings).Build();
        await WorkerHost.PrepareAsync(host, CancellationToken.None);
        await host.Services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None);
        return host;
    }
}
