using System.Diagnostics;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using Tastebuds.Worker.Database;

namespace Tastebuds.Benchmarks;

/// <summary>
/// `scale --rewrite CONNECTION [--rounds R] [--variants a,b]`: on a kept `scale` cluster, user_similarities' current rows
/// written again through <see cref="StagedTableSwap"/> (the similarity stage's write phase without its compute), R
/// rounds of the variants in turn: `rank order` (user, metric, rank, an awaited write per value: the writer before this
/// change), `key order` (the primary key's order, user, metric, similar_user_id), `key+sync` (and the importer's
/// synchronous writes: the writer now), `key+sync+512MB` (and maintenance_work_mem 512MB for the key build); each
/// write's steps (<see cref="SwapSteps"/>), wall and this process's CPU, and the bare binary COPY reference of the same
/// rows in each round.
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
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var (name, order) in new[] { ("rank order", byRank), ("key order", byKey), ("key+sync", byKey), ("key+sync+512MB", byKey), ("key+sync+1MB buffer", byKey), ("key+raw", byKey) }.Where(v => variants.Contains(v.Item1)))
            {
                var sync = name.Contains("sync", StringComparison.Ordinal);
                // `1MB buffer`: the same writes through a connection whose write buffer is 1 MB instead of Npgsql's 8 KB.
                await using var own = name.EndsWith("1MB buffer", StringComparison.Ordinal)
                    ? new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { WriteBufferSize = 1 << 20 }.ConnectionString)
                    : null;
                if (own is not null)
                {
                    await own.OpenAsync();
                }

                var writer = own ?? connection;
                await using (var set = new NpgsqlCommand($"SET maintenance_work_mem = '{(name.EndsWith("512MB", StringComparison.Ordinal) ? "512MB" : "64MB")}'", writer))
                {
                    await set.ExecuteNonQueryAsync();
                }

                var steps = new SwapSteps();
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                if (name == "key+raw")
                {
                    // `key+raw`: the same rows formatted by hand (BinaryCopyRows), the similarity writer now.
                    var metrics = order.Select(r => r.Metric).Distinct().ToDictionary(m => m, m => System.Text.Encoding.UTF8.GetBytes(m));
                    await StagedTableSwap.ReplaceAsync(writer, "user_similarities", Columns, rows =>
                    {
                        foreach (var r in order)
                        {
                            Write(rows, r, metrics[r.Metric]);
                        }

                        return Task.FromResult((long)order.Length);
                    }, TimeSpan.FromMinutes(30), steps, CancellationToken.None);
                }
                else
                {
                    await StagedTableSwap.ReplaceAsync(writer, "user_similarities", Columns, async copy =>
                    {
                        foreach (var r in order)
                        {
                            if (sync)
                            {
                                Write(copy, r);
                            }
                            else
                            {
                                await WriteAsync(copy, r);
                            }
                        }

                        return order.Length;
                    }, TimeSpan.FromMinutes(30), steps, CancellationToken.None);
                }

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

    private static async Task WriteAsync(NpgsqlBinaryImporter copy, Row r)
    {
        await copy.StartRowAsync();
        await copy.WriteAsync(r.User, NpgsqlDbType.Integer);
        await copy.WriteAsync(r.Similar, NpgsqlDbType.Integer);
        await copy.WriteAsync(r.Metric, NpgsqlDbType.Text);
        await copy.WriteAsync(r.Score, NpgsqlDbType.Real);
        await WriteScoreAsync(copy, r.Track);
        await WriteScoreAsync(copy, r.Album);
        await WriteScoreAsync(copy, r.Artist);
        await copy.WriteAsync(r.SharedTracks, NpgsqlDbType.Smallint);
        await copy.WriteAsync(r.SharedAlbums, NpgsqlDbType.Smallint);
        await copy.WriteAsync(r.SharedArtists, NpgsqlDbType.Smallint);
        await copy.WriteAsync(r.SharedItems, NpgsqlDbType.Smallint);
        await copy.WriteAsync(r.Rank, NpgsqlDbType.Smallint);
        await copy.WriteAsync(r.ComputedAt, NpgsqlDbType.TimestampTz);
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

    private static void Write(NpgsqlBinaryImporter copy, Row r)
    {
        copy.StartRow();
        copy.Write(r.User, NpgsqlDbType.Integer);
        copy.Write(r.Similar, NpgsqlDbType.Integer);
        copy.Write(r.Metric, NpgsqlDbType.Text);
        copy.Write(r.Score, NpgsqlDbType.Real);
        WriteScore(copy, r.Track);
        WriteScore(copy, r.Album);
        WriteScore(copy, r.Artist);
        copy.Write(r.SharedTracks, NpgsqlDbType.Smallint);
        copy.Write(r.SharedAlbums, NpgsqlDbType.Smallint);
        copy.Write(r.SharedArtists, NpgsqlDbType.Smallint);
        copy.Write(r.SharedItems, NpgsqlDbType.Smallint);
        copy.Write(r.Rank, NpgsqlDbType.Smallint);
        copy.Write(r.ComputedAt, NpgsqlDbType.TimestampTz);
    }

    private static void WriteScore(NpgsqlBinaryImporter copy, float? score)
    {
        if (score is { } value)
        {
            copy.Write(value, NpgsqlDbType.Real);
        }
        else
        {
            copy.WriteNull();
        }
    }

    private static async Task WriteScoreAsync(NpgsqlBinaryImporter copy, float? score)
    {
        if (score is { } value)
        {
            await copy.WriteAsync(value, NpgsqlDbType.Real);
        }
        else
        {
            await copy.WriteNullAsync();
        }
    }
}
