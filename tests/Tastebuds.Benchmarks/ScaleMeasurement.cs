using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Tastebuds.Worker.Cli;
using Tastebuds.Worker.Database;

namespace Tastebuds.Benchmarks;

/// <summary>
/// `scale N [--runs R]`: N users of the production fetch shape (<see cref="ScaleWorld"/>) written straight into a
/// private PostgreSQL (durable defaults, fsync on), then R times the <c>similarities</c> and <c>recommendations</c>
/// verbs as separate processes. Per run: the stages' own load / compute / write split (their
/// <c>data_fetch_logs</c> details), rows, each process's peak RSS and the result tables' sizes (indexes included).
/// Once: a bare binary COPY of the same rows into an unindexed table as the write reference, and the read function's
/// latency at 8 clients, idle and while a recommendations run (and its swap) is in progress, first on a connection each,
/// then sharing a pool of the server's cores + 1 connections.
/// `scale N --newcomers K [--keep DIR]`: one similarity run on that world, then K newcomers served by the incremental
/// step; with --keep the cluster stays in DIR, running, for `newusers --keep DIR --new K`.
/// </summary>
internal static class ScaleMeasurement
{
    private const int Clients = 8;

    public static async Task RunAsync(string[] args)
    {
        if (args.Length > 1 && args[0] == "--rewrite-recommendations")
        {
            var roundsAt = Array.IndexOf(args, "--rounds");
            await RecommendationRewrite.RunAsync(args[1], roundsAt >= 0 ? int.Parse(args[roundsAt + 1], CultureInfo.InvariantCulture) : 2);
            return;
        }

        if (args.Length > 1 && args[0] == "--rewrite")
        {
            var roundsAt = Array.IndexOf(args, "--rounds");
            var variantsAt = Array.IndexOf(args, "--variants");
            await SwapRewrite.RunAsync(args[1], roundsAt >= 0 ? int.Parse(args[roundsAt + 1], CultureInfo.InvariantCulture) : 2,
                (variantsAt >= 0 ? args[variantsAt + 1] : "key order,parts=2").Split(',', StringSplitOptions.TrimEntries));
            return;
        }

        var users = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        var runsAt = Array.IndexOf(args, "--runs");
        var runs = runsAt >= 0 ? int.Parse(args[runsAt + 1], CultureInfo.InvariantCulture) : 1;
        // --keep DIR: the cluster lives in DIR and keeps running afterwards, so `newusers --keep DIR` can measure the
        // incremental step on this world again without building it anew (stop it with pg_ctl stop -D DIR/data).
        var keepAt = Array.IndexOf(args, "--keep");
        var keep = keepAt >= 0 ? Path.GetFullPath(args[keepAt + 1]) : null;
        var state = keep ?? Path.Combine(Path.GetTempPath(), $"tastebuds-scale-{Environment.ProcessId}");
        try
        {
            await using var postgres = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions { DataDirectory = state, KeepRunning = keep is not null },
                NullLogger.Instance, CancellationToken.None);
            var connectionString = await MigrateAsync(postgres.ConnectionString);
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            var generated = await ScaleWorld.WriteAsync(connection, users, seed: 42);
            var interactions = await ScalarAsync<long>(connection,
                "SELECT (SELECT count(*) FROM user_track_interactions) + (SELECT count(*) FROM user_album_interactions) + (SELECT count(*) FROM user_artist_interactions)");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"world: {users:N0} users, {interactions:N0} interaction rows, generated and written in {generated.TotalSeconds:0.0} s; {HostDescription.Cores()}"));
            var newcomersAt = Array.IndexOf(args, "--newcomers");
            if (newcomersAt >= 0)
            {
                // The incremental step on this world: one full similarity run (the neighbour lists newcomers enter), then
                // newcomers served one by one (NewUserLatency); nothing else.
                var full = await StageProcess.RunAsync("similarities", connectionString);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"similarities: peak RSS {full.PeakRssBytes / 1e9:0.00} GB"));
                await NewUserLatency.OnDatabaseAsync(connectionString, int.Parse(args[newcomersAt + 1], CultureInfo.InvariantCulture));
                return;
            }

            Console.WriteLine("run | stage           | load s | compute s | write s | total s | rows       | write rows/s | peak RSS | user_similarities | collaborative_recommendations");
            for (var run = 1; run <= runs; run++)
            {
                var similarity = await StageProcess.RunAsync("similarities", connectionString);
                await PrintAsync(connection, run, "similarities", "recalculate_similarities", similarity.PeakRssBytes);
                var recommendations = await StageProcess.RunAsync("recommendations", connectionString);
                await PrintAsync(connection, run, "recommendations", "generate_recommendations", recommendations.PeakRssBytes);
            }

            await CopyReferenceAsync(connection, "user_similarities");
            await CopyReferenceAsync(connection, "collaborative_recommendations");
            await LatencyAsync(connectionString, users);
        }
        finally
        {
            if (keep is null && Directory.Exists(state))
            {
                Directory.Delete(state, recursive: true);
            }
        }
    }

    /// <summary>The `scale` database of a cluster's connection string.</summary>
    public static string ScaleDatabase(string serverConnectionString) =>
        new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = "scale", CommandTimeout = 0 }.ConnectionString;

    public static async Task<string> MigrateAsync(string serverConnectionString)
    {
        var connectionString = ScaleDatabase(serverConnectionString);
        await using (var admin = new NpgsqlConnection(serverConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE DATABASE scale", admin);
            await create.ExecuteNonQueryAsync();
        }

        using var host = WorkerHost.CreateBuilder(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = connectionString,
            ["Logging:LogLevel:Default"] = "Warning",
        }).Build();
        await WorkerHost.PrepareAsync(host, CancellationToken.None);
        await host.Services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None);
        return connectionString;
    }

    private static async Task PrintAsync(NpgsqlConnection connection, int run, string stage, string jobType, long peakRss)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT (details->>'load_ms')::bigint, (details->>'compute_ms')::bigint, (details->>'write_ms')::bigint, duration_ms, items_written,
                   coalesce(details->>'pairs_evaluated', '-'), coalesce(details->>'accumulation_steps', '-'),
                   coalesce(details->>'write_steps_ms', '-')
            FROM data_fetch_logs WHERE job_type = $1 AND status = 'succeeded' ORDER BY id DESC LIMIT 1
            """, connection) { Parameters = { new() { Value = jobType } } };
        long load, compute, write, total, rows;
        string pairs, steps, writeSteps;
        await using (var reader = await command.ExecuteReaderAsync())
        {
            await reader.ReadAsync();
            (load, compute, write, total, rows) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));
            (pairs, steps, writeSteps) = (reader.GetString(5), reader.GetString(6), reader.GetString(7));
        }

        var similarities = await SizeAsync(connection, "user_similarities");
        var recommendations = await SizeAsync(connection, "collaborative_recommendations");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{run,3} | {stage,-15} | {load / 1000.0,6:0.0} | {compute / 1000.0,9:0.0} | {write / 1000.0,7:0.0} | {total / 1000.0,7:0.0} | {rows,10:N0} | {rows / Math.Max(0.001, write / 1000.0),12:N0} | {peakRss / 1048576.0,5:0} MB | {Describe(similarities),-17} | {Describe(recommendations)}{(pairs == "-" ? "" : $" | pairs {pairs}, steps {steps}")}"));
        if (writeSteps != "-")
        {
            // The write phase step by step (StagedTableSwap's SwapSteps), in ms.
            Console.WriteLine($"    | write steps, ms: {writeSteps}");
        }
    }

    private static string Describe((long Bytes, long Rows) size) => string.Create(CultureInfo.InvariantCulture,
        $"{size.Bytes / 1048576.0:0} MB, {(size.Rows == 0 ? 0 : size.Bytes / size.Rows)} B/row");

    /// <summary>Heap, TOAST and indexes of the table, or of all its partitions when it is partitioned.</summary>
    private static async Task<(long Bytes, long Rows)> SizeAsync(NpgsqlConnection connection, string table)
    {
        var bytes = await ScalarAsync<decimal>(connection,
            $"""
            SELECT CASE WHEN c.relkind = 'p'
                        THEN (SELECT coalesce(sum(pg_total_relation_size(t.relid)), 0) FROM pg_partition_tree(c.oid) t)
                        ELSE pg_total_relation_size(c.oid) END::numeric
            FROM pg_class c WHERE c.oid = '{table}'::regclass
            """);
        var rows = await ScalarAsync<long>(connection, $"SELECT count(*) FROM {table}");
        return ((long)bytes, rows);
    }

    /// <summary>The same rows, copied out in binary and then into a table with the same columns and no index, key or check.</summary>
    public static async Task CopyReferenceAsync(NpgsqlConnection connection, string table)
    {
        var file = Path.GetTempFileName();
        try
        {
            await using (var output = File.Create(file))
            await using (var export = await connection.BeginRawBinaryCopyAsync($"COPY (SELECT * FROM {table}) TO STDOUT (FORMAT BINARY)"))
            {
                await export.CopyToAsync(output);
            }

            var rows = await ScalarAsync<long>(connection, $"SELECT count(*) FROM {table}");
            await ExecuteAsync(connection, $"DROP TABLE IF EXISTS copy_reference; CREATE TABLE copy_reference AS SELECT * FROM {table} WITH NO DATA");
            var clock = Stopwatch.StartNew();
            await using (var input = File.OpenRead(file))
            await using (var import = await connection.BeginRawBinaryCopyAsync("COPY copy_reference FROM STDIN (FORMAT BINARY)"))
            {
                await input.CopyToAsync(import);
            }

            var elapsed = clock.Elapsed;
            await ExecuteAsync(connection, "DROP TABLE copy_reference");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"bare binary COPY reference, {table}: {rows:N0} rows in {elapsed.TotalSeconds:0.00} s = {rows / elapsed.TotalSeconds:N0} rows/s"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task LatencyAsync(string connectionString, int users)
    {
        // Twice: 8 clients on 8 connections of their own (as since the first figures), then the same 8 clients as an
        // application's request handlers sharing a pool of the server's cores + 1 connections (docs/operations.md,
        // "Reading recommendations").
        foreach (var (harness, label) in new[] { (ReadLatency.Harness.Async, "8 connections"), (ReadLatency.Harness.Pooled, $"a pool of {ReadLatency.DefaultPool}") })
        {
            using (var idle = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
            {
                var quiet = await ReadLatency.MeasureAsync(connectionString, users, Clients, idle.Token, harness: harness);
                Print(label, "idle", quiet.Latencies, quiet.DescribeErrors());
            }

            using var during = new CancellationTokenSource();
            var reading = ReadLatency.MeasureAsync(connectionString, users, Clients, during.Token, harness: harness);
            await StageProcess.RunAsync("recommendations", connectionString);
            await during.CancelAsync();
            var measured = await reading;
            Print(label, "during a recommendations run and its swap", measured.Latencies, measured.DescribeErrors());
            var (from, to) = await ReadLatency.LastWriteAndSwapAsync(connectionString);
            Print(label, string.Create(CultureInfo.InvariantCulture, $"under way during its write and swap ({(to - from).TotalSeconds:0.0} s)"),
                measured.Overlapping(from, to), "errors as above");
        }
    }

    private static void Print(string connections, string when, List<double> latencies, string errors)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"get_collaborative_recommendations(user, 10), {Clients} clients on {connections}, {when}: {ReadLatency.Summary(latencies)}; {errors}"));
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }
}
