using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Tastebuds.Sandbox.World;
using Tastebuds.Worker.Cli;
using Tastebuds.Worker.Database;
using Tastebuds.Worker.Fetching;
using Tastebuds.Worker.Lastfm;

namespace Tastebuds.Benchmarks;

/// <summary>
/// `store [users]`: how long storing one user's snapshot takes with the production SnapshotStore (binary COPY,
/// one transaction) against a plain row-by-row INSERT of the same rows (also one transaction), side by side on
/// one private PostgreSQL, alternating user by user so machine noise hits both alike. Not a BenchmarkDotNet
/// benchmark: each call is a database round trip, so the medians of many users are the honest figure.
/// </summary>
internal static class StoreMeasurement
{
    public static async Task RunAsync(string[] args)
    {
        var users = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 300;
        var world = SandboxWorld.Generate(users, seed: 42, privateFraction: 0);
        var state = Path.Combine(Path.GetTempPath(), $"tastebuds-bench-{Environment.ProcessId}");
        try
        {
            await using var postgres = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions { DataDirectory = state }, NullLogger.Instance, CancellationToken.None);
            var copy = await PrepareAsync(postgres, "bench_copy");
            var rows = await PrepareAsync(postgres, "bench_rows");
            var store = copy.Host.Services.GetRequiredService<SnapshotStore>();
            var copyTimes = new List<double>();
            var rowTimes = new List<double>();
            var interactions = new List<int>();
            foreach (var user in world.Users.Where(u => u.TopTracks.Count > 0))
            {
                var snapshot = ToSnapshot(user);
                var clock = Stopwatch.StartNew();
                var stored = await store.SaveAsync(MergedSnapshot.From(snapshot), CancellationToken.None);
                copyTimes.Add(clock.Elapsed.TotalMilliseconds);
                clock.Restart();
                await RowByRow.SaveAsync(rows.DataSource, MergedSnapshot.From(snapshot));
                rowTimes.Add(clock.Elapsed.TotalMilliseconds);
                interactions.Add(stored.Tracks + stored.Albums + stored.Artists);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{copyTimes.Count} users, median {Median(interactions)} interaction rows a user (tracks+albums+artists)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"SnapshotStore (binary COPY): median {Median(copyTimes):0.00} ms a user, p90 {Percentile(copyTimes, 0.9):0.00} ms"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"row-by-row INSERT:           median {Median(rowTimes):0.00} ms a user, p90 {Percentile(rowTimes, 0.9):0.00} ms"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ratio of medians (row-by-row / COPY): {Median(rowTimes) / Median(copyTimes):0.00}"));
            copy.Host.Dispose();
            rows.Host.Dispose();
        }
        finally
        {
            // The server stopped when `postgres` was disposed, at the end of the try block.
            Directory.Delete(state, recursive: true);
        }
    }

    private static async Task<(Microsoft.Extensions.Hosting.IHost Host, NpgsqlDataSource DataSource)> PrepareAsync(EmbeddedPostgres postgres, string database)
    {
        await using (var admin = new NpgsqlConnection(postgres.ConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database}; CREATE DATABASE {database}", admin);
            await create.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Database = database }.ConnectionString;
        var host = WorkerHost.CreateBuilder(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = connectionString,
            ["Logging:LogLevel:Default"] = "Warning",
        }).Build();
        await WorkerHost.PrepareAsync(host, CancellationToken.None);
        await host.Services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None);
        return (host, host.Services.GetRequiredService<NpgsqlDataSource>());
    }

    private static UserSnapshot ToSnapshot(SandboxUser user) => new(
        new LastfmUserProfile(user.Name, user.RealName, user.Country, user.Playcount, user.Registered, user.Url, null),
        "overall",
        user.TopTracks.Take(100).Select((p, i) => new TopTrack(p.Item.Name, p.Item.Artist.Name, Mbid(p.Item.Mbid), Mbid(p.Item.Artist.Mbid), p.Playcount, i + 1, p.Item.Url)).ToList(),
        user.TopAlbums.Take(50).Select((p, i) => new TopAlbum(p.Item.Name, p.Item.Artist.Name, Mbid(p.Item.Mbid), Mbid(p.Item.Artist.Mbid), p.Playcount, i + 1, p.Item.Url)).ToList(),
        user.TopArtists.Take(30).Select((p, i) => new TopArtist(p.Item.Name, Mbid(p.Item.Mbid), p.Playcount, i + 1, p.Item.Url)).ToList(),
        user.LovedTracks.Take(100).Select(l => new LovedTrack(l.Track.Name, l.Track.Artist.Name, Mbid(l.Track.Mbid), Mbid(l.Track.Artist.Mbid), l.LovedAt, l.Track.Url)).ToList(),
        []);

    private static string? Mbid(string mbid) => mbid.Length == 0 ? null : mbid;

    private static double Median(IEnumerable<double> values) => Percentile(values.ToList(), 0.5);

    private static double Median(IEnumerable<int> values) => Percentile(values.Select(v => (double)v).ToList(), 0.5);

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(p * sorted.Count))];
    }
}
