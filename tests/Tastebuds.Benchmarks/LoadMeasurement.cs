using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Tastebuds.Core;
using Tastebuds.Worker.Database;
using Tastebuds.Worker.Similarity;
using Microsoft.Extensions.Logging.Abstractions;

namespace Tastebuds.Benchmarks;

/// <summary>
/// `load N --keep DIR [--rounds R]`: the stages' load phase alone (<see cref="InteractionLoader.LoadMatrixAsync"/>, the
/// binary COPY of every interaction streamed into the matrix) R times on N users of <see cref="ScaleWorld"/>, printing
/// wall, this process's CPU and the rows a second for each round. The cluster in DIR is created and filled on the
/// first call and reused after (it keeps running: stop it with pg_ctl stop -D DIR/data), so two builds can be timed
/// on the same world one after the other. `--parts` first times the client's side part by part (the exporter's reads
/// alone, the COPY's bytes alone, the reads into the builder, the builder's Build); `--read-buffer B` sets Npgsql's read
/// buffer (8 KB by default); `--tracks` adds, after each round, the model stage's load of the same snapshot's tracks only
/// (<see cref="InteractionLoader.LoadTrackMatrixAsync"/>), timed the same way, with a check that its users and track
/// slice equal the whole load's.
/// </summary>
internal static class LoadMeasurement
{
    public static async Task RunAsync(string[] args)
    {
        var users = int.Parse(args[0], CultureInfo.InvariantCulture);
        var keepAt = Array.IndexOf(args, "--keep");
        if (keepAt < 0)
        {
            throw new ArgumentException("load N --keep DIR [--rounds R]: --keep DIR is required (the world is reused between builds)");
        }

        var state = Path.GetFullPath(args[keepAt + 1]);
        var roundsAt = Array.IndexOf(args, "--rounds");
        var rounds = roundsAt >= 0 ? int.Parse(args[roundsAt + 1], CultureInfo.InvariantCulture) : 3;
        var fresh = !Directory.Exists(state);
        await using var postgres = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions { DataDirectory = state, KeepRunning = true },
            NullLogger.Instance, CancellationToken.None);
        var connectionString = ScaleMeasurement.ScaleDatabase(postgres.ConnectionString);
        if (fresh)
        {
            connectionString = await ScaleMeasurement.MigrateAsync(postgres.ConnectionString);
            await using var writer = new NpgsqlConnection(connectionString);
            await writer.OpenAsync();
            var generated = await ScaleWorld.WriteAsync(writer, users, seed: 42);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"world: {users:N0} users generated and written in {generated.TotalSeconds:0.0} s; {HostDescription.Cores()}"));
        }

        // --read-buffer B: the connection's read buffer (Npgsql's default 8 KB).
        var bufferAt = Array.IndexOf(args, "--read-buffer");
        if (bufferAt >= 0)
        {
            connectionString = new NpgsqlConnectionStringBuilder(connectionString) { ReadBufferSize = int.Parse(args[bufferAt + 1], CultureInfo.InvariantCulture) }.ConnectionString;
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var process = Process.GetCurrentProcess();
        Console.WriteLine("round | wall s | CPU s (this process) | rows | rows/s");
        for (var round = 1; round <= rounds; round++)
        {
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            if (args.Contains("--parts"))
            {
                // The client's share, part by part: the exporter's reads alone (no matrix), then the COPY's bytes alone.
                long n = 0, sum = 0;
                await using (var export = await connection.BeginBinaryExportAsync(InteractionLoader.Copy))
                {
                    while (export.StartRow() != -1)
                    {
                        sum += export.Read<long>(NpgsqlTypes.NpgsqlDbType.Bigint) + export.Read<short>(NpgsqlTypes.NpgsqlDbType.Smallint)
                            + export.Read<long>(NpgsqlTypes.NpgsqlDbType.Bigint) + export.Read<long>(NpgsqlTypes.NpgsqlDbType.Bigint)
                            + (export.Read<bool>(NpgsqlTypes.NpgsqlDbType.Boolean) ? 1 : 0);
                        n++;
                    }
                }

                process.Refresh();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"exporter only: {clock.Elapsed.TotalSeconds:0.00} s wall, {(process.TotalProcessorTime - cpu).TotalSeconds:0.00} s CPU, {n:N0} rows ({sum})"));
                cpu = process.TotalProcessorTime;
                clock.Restart();
                long bytes = 0;
                await using (var raw = await connection.BeginRawBinaryCopyAsync(InteractionLoader.Copy))
                {
                    var buffer = new byte[1 << 18];
                    int read;
                    while ((read = raw.Read(buffer)) > 0)
                    {
                        bytes += read;
                    }
                }

                process.Refresh();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"bytes only: {clock.Elapsed.TotalSeconds:0.00} s wall, {(process.TotalProcessorTime - cpu).TotalSeconds:0.00} s CPU, {bytes:N0} bytes"));
                cpu = process.TotalProcessorTime;
                clock.Restart();
                var builder = new InteractionMatrixBuilder();
                await InteractionLoader.ReadAsync(connection, InteractionLoader.Copy, builder.Add, CancellationToken.None);
                process.Refresh();
                var intoBuilder = (clock.Elapsed.TotalSeconds, (process.TotalProcessorTime - cpu).TotalSeconds);
                cpu = process.TotalProcessorTime;
                clock.Restart();
                builder.Build(new WeightingOptions());
                process.Refresh();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"read into the builder: {intoBuilder.Item1:0.00} s wall, {intoBuilder.Item2:0.00} s CPU; Build: {clock.Elapsed.TotalSeconds:0.00} s wall, {(process.TotalProcessorTime - cpu).TotalSeconds:0.00} s CPU"));
                cpu = process.TotalProcessorTime;
                clock.Restart();
            }

            await using (var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead))
            {
                var (matrix, rows) = await InteractionLoader.LoadMatrixAsync(connection, new WeightingOptions(), -1, CancellationToken.None);
                clock.Stop();
                process.Refresh();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{round,5} | {clock.Elapsed.TotalSeconds,6:0.00} | {(process.TotalProcessorTime - cpu).TotalSeconds,20:0.00} | {rows,10:N0} | {rows / clock.Elapsed.TotalSeconds,10:N0}   ({matrix.UserCount:N0} users)"));
                if (args.Contains("--tracks"))
                {
                    process.Refresh();
                    cpu = process.TotalProcessorTime;
                    clock.Restart();
                    var tracks = await InteractionLoader.LoadTrackMatrixAsync(connection, new WeightingOptions(), -1, CancellationToken.None);
                    clock.Stop();
                    process.Refresh();
                    var same = tracks.UserCount == matrix.UserCount
                        && Enumerable.Range(0, matrix.UserCount).All(u => tracks.UserId(u) == matrix.UserId(u)
                            && tracks.ItemsOf(u, ItemKind.Track).SequenceEqual(matrix.ItemsOf(u, ItemKind.Track))
                            && tracks.WeightsOf(u, ItemKind.Track).SequenceEqual(matrix.WeightsOf(u, ItemKind.Track)))
                        && tracks.ItemCount(ItemKind.Track) == matrix.ItemCount(ItemKind.Track)
                        && Enumerable.Range(0, matrix.ItemCount(ItemKind.Track)).All(i => tracks.ItemId(ItemKind.Track, i) == matrix.ItemId(ItemKind.Track, i));
                    var trackRows = Enumerable.Range(0, tracks.UserCount).Sum(u => (long)tracks.ItemsOf(u, ItemKind.Track).Length);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{"tracks",5} | {clock.Elapsed.TotalSeconds,6:0.00} | {(process.TotalProcessorTime - cpu).TotalSeconds,20:0.00} | {trackRows,10:N0} | {trackRows / clock.Elapsed.TotalSeconds,10:N0}   ({tracks.UserCount:N0} users; users and track slice equal to the whole load's: {same})"));
                }
            }
        }
    }
}
