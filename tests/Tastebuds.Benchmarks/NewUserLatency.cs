using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Tastebuds.Sandbox;
using Tastebuds.Worker.Cli;
using Tastebuds.Worker.Database;
using Tastebuds.Worker.Fetching;
using Tastebuds.Worker.NewUsers;
using Tastebuds.Worker.Recommendations;
using Tastebuds.Worker.Similarity;

namespace Tastebuds.Benchmarks;

/// <summary>
/// `newusers N [--new K]`: a generated sandbox world of N users fetched into a private PostgreSQL and fully computed,
/// then K newcomers arrive one after another as the FetchNewUsers job handles them (add_lastfm_user, a fetch run of
/// one over loopback HTTP, the incremental step); prints per newcomer the step's split and the latency from the fetch's
/// commit to recommendations readable through get_collaborative_recommendations, then p50 and max.
/// `newusers --database CONNECTION [--new K]`: the same step on an existing, fully computed database (e.g. the `scale`
/// world, whose users come from no sandbox): each newcomer is a copy of 80 % of a random stored user's rows, committed
/// as a fetch would, then served. `newusers --keep DIR [--new K]`: the same on the `scale` database of the cluster a
/// `scale N --newcomers 0 --keep DIR` left in DIR.
/// </summary>
internal static class NewUserLatency
{
    public static async Task RunAsync(string[] args)
    {
        var newcomers = Option(args, "--new") is { } k ? int.Parse(k, CultureInfo.InvariantCulture) : 20;
        if (Option(args, "--database") is { } connection)
        {
            await OnDatabaseAsync(connection, newcomers);
            return;
        }

        if (Option(args, "--keep") is { } kept)
        {
            // The cluster a `scale N --newcomers K --keep DIR` left running (started again if it was stopped; left running).
            await using var server = await EmbeddedPostgres.StartAsync(
                new EmbeddedPostgresOptions { DataDirectory = Path.GetFullPath(kept), KeepRunning = true }, NullLogger.Instance, CancellationToken.None);
            await OnDatabaseAsync(ScaleMeasurement.ScaleDatabase(server.ConnectionString), newcomers);
            return;
        }

        var users = int.Parse(args[0], CultureInfo.InvariantCulture);
        var state = Path.Combine(Path.GetTempPath(), $"tastebuds-newusers-{Environment.ProcessId}");
        try
        {
            await using var postgres = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions { DataDirectory = state }, NullLogger.Instance, CancellationToken.None);
            await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Users = users + newcomers, Seed = 42, PrivateUserFraction = 0, MissingUsernames = 0 });
            var names = sandbox.World.Users.Select(u => u.Name).ToList();
            using var host = await HostAsync(postgres.ConnectionString, sandbox.BaseUrl.ToString());
            var services = host.Services;
            var clock = Stopwatch.StartNew();
            await services.GetRequiredService<FetchRunner>().RunAsync(names.Take(users).ToList(), null, CancellationToken.None);
            var fetched = clock.Elapsed;
            await services.GetRequiredService<SimilarityRecalculator>().RecalculateAsync(CancellationToken.None);
            await services.GetRequiredService<RecommendationGenerator>().GenerateAsync(CancellationToken.None);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"world: {users} sandbox users fetched in {fetched.TotalSeconds:0.0} s, full run {(clock.Elapsed - fetched).TotalSeconds:0.0} s"));

            var results = new List<(NewUserResult Step, TimeSpan Readable)>();
            foreach (var name in names.Skip(users))
            {
                await using var data = NpgsqlDataSource.Create(postgres.ConnectionString);
                await using (var add = data.CreateCommand($"SELECT add_lastfm_user('{name}')"))
                {
                    await add.ExecuteNonQueryAsync();
                }

                await services.GetRequiredService<FetchRunner>().RunAsync([name], null, CancellationToken.None);
                results.Add(await ServeAndReadAsync(services, data, name));
            }

            Report(results);
        }
        finally
        {
            if (Directory.Exists(state))
            {
                Directory.Delete(state, recursive: true);
            }
        }
    }

    public static async Task OnDatabaseAsync(string connectionString, int newcomers)
    {
        using var host = await HostAsync(connectionString, "http://127.0.0.1:9/");
        await using var data = NpgsqlDataSource.Create(connectionString);
        var users = await ScalarAsync<long>(data, "SELECT count(*) FROM lastfm_users");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"world: {users:N0} stored users"));
        var results = new List<(NewUserResult Step, TimeSpan Readable)>();
        for (var i = 0; i < newcomers; i++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"newcomer-{Environment.ProcessId}-{i}");
            // A fetch's commit: the user row and 80 % of a random stored user's rows, in one transaction.
            await using (var connection = await data.OpenConnectionAsync())
            await using (var transaction = await connection.BeginTransactionAsync())
            await using (var copy = new NpgsqlCommand(
                """
                WITH source AS (SELECT u.id FROM lastfm_users u WHERE u.username NOT LIKE 'newcomer-%' AND EXISTS (SELECT 1 FROM user_track_interactions i WHERE i.user_id = u.id) ORDER BY random() LIMIT 1),
                     added AS (INSERT INTO lastfm_users (username, last_fetched_at) VALUES ($1, now()) RETURNING id),
                     t AS (INSERT INTO user_track_interactions (user_id, track_id, play_count, is_loved)
                           SELECT (SELECT id FROM added), track_id, play_count, is_loved FROM user_track_interactions
                           WHERE user_id = (SELECT id FROM source) AND random() < 0.8),
                     al AS (INSERT INTO user_album_interactions (user_id, album_id, play_count, loved_tracks)
                            SELECT (SELECT id FROM added), album_id, play_count, loved_tracks FROM user_album_interactions
                            WHERE user_id = (SELECT id FROM source) AND random() < 0.8)
                INSERT INTO user_artist_interactions (user_id, artist_id, play_count, loved_tracks)
                SELECT (SELECT id FROM added), artist_id, play_count, loved_tracks FROM user_artist_interactions
                WHERE user_id = (SELECT id FROM source) AND random() < 0.8
                """, connection, transaction) { Parameters = { new() { Value = name } } })
            {
                await copy.ExecuteNonQueryAsync();
                await transaction.CommitAsync();
            }

            results.Add(await ServeAndReadAsync(host.Services, data, name));
        }

        Report(results);
    }

    private static async Task<(NewUserResult, TimeSpan)> ServeAndReadAsync(IServiceProvider services, NpgsqlDataSource data, string name)
    {
        var toServe = await services.GetRequiredService<PendingNewUsers>().ToServeAsync(50, CancellationToken.None);
        var step = (await services.GetRequiredService<NewUserServer>().ServeAsync(toServe.Where(u => u.Username == name).ToList(), CancellationToken.None))!
            .Single();
        var rows = await ScalarAsync<long>(data, $"SELECT count(*) FROM get_collaborative_recommendations('{name}', 10)");
        // last_fetched_at is the fetch transaction's start (now()), so this counts the fetch's own write too.
        var readable = TimeSpan.FromMilliseconds(await ScalarAsync<double>(data,
            $"SELECT extract(epoch FROM clock_timestamp() - last_fetched_at)::float8 * 1000 FROM lastfm_users WHERE username = '{name}'"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: {step.UsersSharing:N0} candidates{(step.Shortlisted is { } s ? $" ({s} shortlisted)" : "")}, {step.NeighbourRows} neighbour rows, {step.ListsEntered} lists entered, {step.RecommendationRows} recommendations ({rows} readable); read {step.ReadTime.TotalMilliseconds:0} ms, compute {step.ComputeTime.TotalMilliseconds:0} ms, write {step.WriteTime.TotalMilliseconds:0} ms; fetch committed → readable {readable.TotalMilliseconds:0} ms"));
        return (step, readable);
    }

    private static void Report(List<(NewUserResult Step, TimeSpan Readable)> results)
    {
        if (results.Count == 0)
        {
            return;
        }

        static string Stats(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return string.Create(CultureInfo.InvariantCulture, $"p50 {sorted[sorted.Length / 2]:0} ms, max {sorted[^1]:0} ms");
        }

        Console.WriteLine($"incremental step (read + compute + write): {Stats(results.Select(r => (r.Step.ReadTime + r.Step.ComputeTime + r.Step.WriteTime).TotalMilliseconds))}");
        Console.WriteLine($"  read: {Stats(results.Select(r => r.Step.ReadTime.TotalMilliseconds))}; compute: {Stats(results.Select(r => r.Step.ComputeTime.TotalMilliseconds))}; write: {Stats(results.Select(r => r.Step.WriteTime.TotalMilliseconds))}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  lists entered: p50 {results.Select(r => r.Step.ListsEntered).Order().ElementAt(results.Count / 2)}, max {results.Max(r => r.Step.ListsEntered)}"));
        Console.WriteLine($"fetch committed → recommendations readable: {Stats(results.Select(r => r.Readable.TotalMilliseconds))}");
    }

    private static async Task<IHost> HostAsync(string connectionString, string lastfm)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = connectionString,
            ["Lastfm:BaseUrl"] = lastfm,
            ["Lastfm:ApiKey"] = "newusers-measurement",
            ["RateLimiting:MaxRequestsPerMinute"] = "100000",
            ["RateLimiting:DelayBetweenUsers"] = "00:00:00",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        var host = WorkerHost.CreateBuilder(settings).Build();
        await WorkerHost.PrepareAsync(host, CancellationToken.None);
        await host.Services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None);
        return host;
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource data, string sql)
    {
        await using var command = data.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
