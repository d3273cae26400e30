using System.Diagnostics;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using Tastebuds.Worker.Database;
using Tastebuds.Worker.Recommendations;

namespace Tastebuds.Benchmarks;

/// <summary>
/// `scale --rewrite-recommendations CONNECTION [--rounds R]`: on a kept `scale` cluster, collaborative_recommendations'
/// current rows written again through <see cref="StagedTableSwap"/>, R rounds of two writers in turn: `importer` (Npgsql's
/// importer, an awaited call per value: the writer before) and `raw` (<see cref="RecommendationRow.Write"/>, the rows
/// formatted by hand: the writer now); each write's steps, wall and this process's CPU, and an md5 of the rows written.
/// </summary>
internal static class RecommendationRewrite
{
    public static async Task RunAsync(string connectionString, int rounds)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var rows = new List<RecommendationRow>();
        var generatedAt = DateTimeOffset.UnixEpoch; // each row's own, read below
        await using (var export = await connection.BeginBinaryExportAsync(
            $"COPY (SELECT {RecommendationRow.Columns} FROM collaborative_recommendations ORDER BY user_id, metric, rank) TO STDOUT (FORMAT BINARY)"))
        {
            while (await export.StartRowAsync() != -1)
            {
                var (user, track, metric, score, rank, supporting, popularity) = (export.Read<long>(), export.Read<long>(), export.Read<string>(),
                    export.Read<float>(), export.Read<short>(), export.Read<short>(), export.Read<float>());
                var reasons = new Reasons(export.Read<short[]>(), export.Read<long[]>(), export.Read<float[]>(), export.Read<float[]>());
                generatedAt = export.Read<DateTimeOffset>();
                rows.Add(new RecommendationRow(user, track, metric, score, rank, supporting, popularity, reasons));
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rows.Count:N0} rows; writer | copy | keys | foreign keys | analyze | write s | client CPU s"));
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var raw in new[] { false, true })
            {
                var steps = new SwapSteps();
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                if (raw)
                {
                    await StagedTableSwap.ReplaceAsync(connection, "collaborative_recommendations", RecommendationRow.Columns, copy =>
                    {
                        foreach (var row in rows)
                        {
                            row.Write(copy, generatedAt);
                        }

                        return Task.FromResult((long)rows.Count);
                    }, TimeSpan.FromMinutes(30), steps, CancellationToken.None);
                }
                else
                {
                    await StagedTableSwap.ReplaceAsync(connection, "collaborative_recommendations", RecommendationRow.Columns, async copy =>
                    {
                        foreach (var row in rows)
                        {
                            await WriteAsync(copy, row, generatedAt);
                        }

                        return rows.Count;
                    }, TimeSpan.FromMinutes(30), steps, CancellationToken.None);
                }

                var wall = clock.Elapsed.TotalSeconds;
                var used = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
                // Both writers must store the same rows: an md5 of every row in key order, after the timing.
                await using var digest = new NpgsqlCommand(
                    $"SELECT md5(string_agg(t::text, ',' ORDER BY user_id, metric, track_id)) FROM (SELECT {RecommendationRow.Columns} FROM collaborative_recommendations) t",
                    connection);
                var md5 = await digest.ExecuteScalarAsync();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{round} {(raw ? "raw" : "importer"),-8} | {S(steps.Copy)} | {S(steps.Keys)} | {S(steps.ForeignKeys)} | {S(steps.Analyze)} | {wall:0.00} | {used:0.00} | md5 {md5}"));
            }
        }
    }

    private static string S(TimeSpan t) => t.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>The writer before: Npgsql's importer, an awaited call per value.</summary>
    private static async Task WriteAsync(NpgsqlBinaryImporter copy, RecommendationRow r, DateTimeOffset generatedAt)
    {
        await copy.StartRowAsync();
        await copy.WriteAsync(r.UserId, NpgsqlDbType.Bigint);
        await copy.WriteAsync(r.TrackId, NpgsqlDbType.Bigint);
        await copy.WriteAsync(r.Metric, NpgsqlDbType.Text);
        await copy.WriteAsync((float)Math.Max(0.0, r.Score), NpgsqlDbType.Real);
        await copy.WriteAsync((short)r.Rank, NpgsqlDbType.Smallint);
        await copy.WriteAsync((short)Math.Clamp(r.Supporting, 1, short.MaxValue), NpgsqlDbType.Smallint);
        await copy.WriteAsync((float)r.Popularity, NpgsqlDbType.Real);
        await copy.WriteAsync(r.Reasons.Kinds, NpgsqlDbType.Array | NpgsqlDbType.Smallint);
        await copy.WriteAsync(r.Reasons.Ids, NpgsqlDbType.Array | NpgsqlDbType.Bigint);
        await copy.WriteAsync(r.Reasons.Weights, NpgsqlDbType.Array | NpgsqlDbType.Real);
        await copy.WriteAsync(r.Reasons.Contributions, NpgsqlDbType.Array | NpgsqlDbType.Real);
        await copy.WriteAsync(generatedAt, NpgsqlDbType.TimestampTz);
    }
}
