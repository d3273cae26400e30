using System.Diagnostics;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using Tastebuds.Worker.Database;

namespace Tastebuds.Benchmarks;

/// <summary>
/// `scale --rewrite CONNECTION [--rounds R] [--variants a,b]`: on a kept `scale` cluster, user_similarities' current rows
/// written again through <see cref="StagedTableSwap"/> (the similarity stage's write phase without its compute), R
/// rounds of the variants in turn, every row formatted by hand (<see cref="BinaryCopyRows"/>): `rank order` (user,
/// metric, rank), `key order` (the primary key's order, user, metric, similar_user_id; one connection: the writer before
/// the generation was written in parts), `parts=N` (key
/// order in N parts of about as many rows, one thread and connection each: the writer now, N = Database:WriteConnections);
/// each write's steps (<see cref="SwapSteps"/>), wall and this process's CPU, and the bare binary COPY reference of the
/// same rows in each round. (The importer's variants measured before, an awaited or a synchronous Npgsql call per value,
/// are gone with the importer: docs/benchmarks.md "The similarity write's rows formatted by hand"; so is `key+sync+512MB`,
/// maintenance_work_mem 512MB for the key build, which gained nothing: "The similarity write phase and the read
/// function's CPU".)
/// </summary>
internal static class SwapRewrite
{
    private const string Columns =
        "user_id, similar_user_id, metric, similarity_score, track_score, album_score, artist_score, "
        + "shared_tracks, shared_albums, shared_artists, shared_items, rank, computed_at";

    private readonly record struct Row(int User, int Similar, string Metric, float Score, float? Track, float? Album, float? Artist,
        short SharedTracks, short SharedAlbums, short SharedArtists, short SharedItems, short Rank, DateTimeOffset ComputedAt);

    public static async Task RunAsync(string connectionString, int rounds, IReadOnlyCollection<string> variants)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var rows = new List<Row>();
        await using (var export = await connection.BeginBinaryExportAsync($"COPY (SELECT {Columns} FROM user_similarities) TO STDOUT (FORMAT BINARY)"))
        {
            while (await export.StartRowAsync() != -1)
            {
                rows.Add(new Row(export.Read<int>(), export.Read<int>(), export.Read<string>(), export.Read<float>(),
                    export.IsNull ? Skip(export) : export.Read<float>(), export.IsNull ? Skip(export) : export.Read<float>(),
                    export.IsNull ? Skip(export) : export.Read<float>(), export.Read<short>(), export.Read<short>(), export.Read<short>(),
                    export.Read<short>(), export.Read<short>(), export.Read<DateTimeOffset>()));
            }
        }

        var byRank = rows.OrderBy(r => r.User).ThenBy(r => r.Metric, StringComparer.Ordinal).ThenBy(r => r.Rank).ToArray();
        var byKey = rows.OrderBy(r => r.User).ThenBy(r => r.Metric, StringComparer.Ordinal).ThenBy(r => r.Similar).ToArray();
        rows.Clear();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{byKey.Length:N0} rows; order | copy | keys | foreign keys | analyze | swap | drop | write s | rows/s | client CPU s"));
        var metrics = byKey.Select(r => r.Metric).Distinct().ToDictionary(m => m, m => System.Text.Encoding.UTF8.GetBytes(m));
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var name in variants)
            {
                var order = name == "rank order" ? byRank : byKey;
                var parts = name.StartsWith("parts=", StringComparison.Ordinal) ? int.Parse(name["parts=".Length..], CultureInfo.InvariantCulture) : 1;
                // Parts of about as many rows, by user (the rows are in user order either way).
                var users = order.Select(r => r.User).Distinct().ToArray();
                var firstRow = new Dictionary<int, int>();
                for (var n = order.Length - 1; n >= 0; n--)
                {
                    firstRow[order[n].User] = n;
                }

                var ranges = GenerationParts.Balanced(users.Length, u => (u + 1 < users.Length ? firstRow[users[u + 1]] : order.Length) - firstRow[users[u]], parts);
                var splits = ranges.Skip(1).Select(r => (long)users[r.Start.Value]).ToArray();
                var steps = new SwapSteps();
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                await StagedTableSwap.ReplaceAsync(dataSource, "user_similarities", Columns, splits, async generation =>
                {
                    var written = await Task.WhenAll(ranges.Select((range, part) => Task.Run(() =>
                    {
                        var (from, to) = (firstRow[users[range.Start.Value]], range.End.Value < users.Length ? firstRow[users[range.End.Value]] : order.Length);
                        for (var n = from; n < to; n++)
                        {
                            Write(generation[part], order[n], metrics[order[n].Metric]);
                        }

                        generation.Complete(part);
                        return (long)(to - from);
                    })));
                    return written.Sum();
                }, TimeSpan.FromMinutes(30), steps, CancellationToken.None);

                var wall = clock.Elapsed.TotalSeconds;
                var used = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{round} {name,-10} | {S(steps.Copy)} | {S(steps.Keys)} | {S(steps.ForeignKeys)} | {S(steps.Analyze)} | {S(steps.Swap)} | {S(steps.Drop)} | {wall:0.00} | {order.Length / wall:N0} | {used:0.00}"));
            }

            await ScaleMeasurement.CopyReferenceAsync(connection, "user_similarities");
        }
    }

    private static string S(TimeSpan t) => t.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);

    private static float? Skip(NpgsqlBinaryExporter export)
    {
        export.Skip();
        return null;
    }

    private static void Write(BinaryCopyRows rows, Row r, byte[] metric)
    {
        rows.StartRow(13);
        rows.Int4(r.User);
        rows.Int4(r.Similar);
        rows.Text(metric);
        rows.Float4(r.Score);
        rows.Float4(r.Track);
        rows.Float4(r.Album);
        rows.Float4(r.Artist);
        rows.Int2(r.SharedTracks);
        rows.Int2(r.SharedAlbums);
        rows.Int2(r.SharedArtists);
        rows.Int2(r.SharedItems);
        rows.Int2(r.Rank);
        rows.TimestampTz(r.ComputedAt);
    }

}
