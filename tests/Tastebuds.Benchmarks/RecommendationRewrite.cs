using System.Diagnostics;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using Tastebuds.Worker.Database;
using Tastebuds.Worker.Recommendations;

namespace Tastebuds.Benchmarks;

/// <summary>
/// `scale --rewrite-recommendations CONNECTION [--rounds R]`: on a kept `scale` cluster, collaborative_recommendations'
/// current rows written again through <see cref="StagedTableSwap"/> as the model stage writes them (in user order, rows
/// formatted by hand by <see cref="RecommendationRow.Write"/>), R rounds of two writers in turn: over one connection, and
/// in two parts (Database:WriteConnections = 2: the first part's keys built while the second is written); each write's
/// steps, wall and this process's CPU, and an md5 of the rows written. (The importer's writer measured before, an awaited
/// Npgsql call per value, is gone with the importer.)
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

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rows.Count:N0} rows; connections | copy | keys | foreign keys | analyze | write s | client CPU s"));
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var users = rows.Select(r => r.UserId).Distinct().Order().ToArray();
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var connections in new[] { 1, 2 })
            {
                var steps = new SwapSteps();
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                var splits = GenerationParts.Balanced(users.Length, _ => 1, connections).Skip(1).Select(r => users[r.Start.Value]).ToArray();
                await RecommendationWriter.ReplaceAsync(dataSource, rows.ToAsyncEnumerable(), splits, generatedAt, TimeSpan.FromMinutes(30),
                    steps, CancellationToken.None);
                var wall = clock.Elapsed.TotalSeconds;
                var used = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
                // Both writers must store the same rows: an md5 of every row in key order, after the timing.
                await using var digest = new NpgsqlCommand(
                    $"SELECT md5(string_agg(t::text, ',' ORDER BY user_id, metric, track_id)) FROM (SELECT {RecommendationRow.Columns} FROM collaborative_recommendations) t",
                    connection);
                var md5 = await digest.ExecuteScalarAsync();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{round} {connections} connection(s) | {S(steps.Copy)} | {S(steps.Keys)} | {S(steps.ForeignKeys)} | {S(steps.Analyze)} | {wall:0.00} | {used:0.00} | md5 {md5}"));
            }
        }
    }

    private static string S(TimeSpan t) => t.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
}
