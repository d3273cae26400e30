using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace Tastebuds.Benchmarks;

/// <summary>
/// The production fetch shape written straight into the schema by binary COPY (no sandbox, no HTTP): per user 100
/// top tracks, 50 albums, 30 artists and about 20 loves; Zipf-like popularity (exponent 1) over 200,000 tracks,
/// half of each user's picks from the world-wide ranking, half from one of 25 taste clusters. Tracks t belong to
/// artist t / 10 and album t / 4. Seeded: the same N gives the same world.
/// </summary>
internal static class ScaleWorld
{
    public const int Tracks = 200_000;
    public const int Albums = Tracks / 4;
    public const int Artists = Tracks / 10;
    private const int Clusters = 25;
    private const int TracksPerUser = 100;
    private const int AlbumsPerUser = 50;
    private const int ArtistsPerUser = 30;
    private const double LoveRate = 0.2;

    public static async Task<TimeSpan> WriteAsync(NpgsqlConnection connection, int users, int seed)
    {
        var clock = Stopwatch.StartNew();
        await CatalogAsync(connection);
        await UsersAsync(connection, users);
        var albumRows = new List<(long User, long Item, long Plays, int Loved)>();
        var artistRows = new List<(long User, long Item, long Plays, int Loved)>();
        using (var tracks = connection.BeginBinaryImport(
            "COPY user_track_interactions (user_id, track_id, play_count, is_loved, rank) FROM STDIN (FORMAT BINARY)"))
        {
            Generate(users, seed, (u, track, plays, loved, rank) =>
            {
                tracks.StartRow();
                tracks.Write((long)u, NpgsqlDbType.Bigint);
                tracks.Write(track, NpgsqlDbType.Bigint);
                tracks.Write(plays, NpgsqlDbType.Bigint);
                tracks.Write(loved, NpgsqlDbType.Boolean);
                tracks.Write(rank, NpgsqlDbType.Integer);
            }, (u, album, plays, loved) => albumRows.Add((u, album, plays, loved)), (u, artist, plays, loved) => artistRows.Add((u, artist, plays, loved)));
            tracks.Complete();
        }

        await KindAsync(connection, "user_album_interactions (user_id, album_id, play_count, loved_tracks)", albumRows);
        await KindAsync(connection, "user_artist_interactions (user_id, artist_id, play_count, loved_tracks)", artistRows);
        // Vacuumed as well as analysed: a world that was just written (18 M rows at 100,000 users) is otherwise vacuumed by
        // autovacuum while the first measured stage runs (the interaction tables until 35 s into the stage in one run of
        // `scale 100000`), which a deployment whose fetch writes for hours does not see (docs/benchmarks.md).
        await using (var analyze = new NpgsqlCommand("VACUUM (ANALYZE)", connection) { CommandTimeout = 0 })
        {
            await analyze.ExecuteNonQueryAsync();
        }

        return clock.Elapsed;
    }

    /// <summary>The same world as interaction rows in memory (users 1..N, catalog ids 1-based as in the database).</summary>
    public static List<Tastebuds.Core.Interaction> Interactions(int users, int seed)
    {
        var rows = new List<Tastebuds.Core.Interaction>();
        Generate(users, seed,
            (u, track, plays, loved, _) => rows.Add(new(u, Tastebuds.Core.ItemKind.Track, track, plays, loved)),
            (u, album, plays, loved) => rows.Add(new(u, Tastebuds.Core.ItemKind.Album, album, plays, loved > 0)),
            (u, artist, plays, loved) => rows.Add(new(u, Tastebuds.Core.ItemKind.Artist, artist, plays, loved > 0)));
        return rows;
    }

    /// <summary>Users 1..N; callbacks get 1-based catalog ids, plays, love (a count for albums and artists) and track rank.</summary>
    private static void Generate(int users, int seed, Action<int, long, long, bool, int> track,
        Action<int, long, long, int> album, Action<int, long, long, int> artist)
    {
        var global = Zipf(Tracks, 1.0);
        var local = Zipf(Tracks / Clusters, 1.0);
        var random = new Random(seed);
        // A popularity rank to a track id, shuffled, so that popular tracks are spread over artists and clusters.
        var byRank = Enumerable.Range(0, Tracks).ToArray();
        random.Shuffle(byRank);
        var albums = new Dictionary<int, (long Plays, int Loved)>();
        var artists = new Dictionary<int, (long Plays, int Loved)>();
        var chosen = new HashSet<int>();
        for (var u = 1; u <= users; u++)
        {
            var cluster = random.Next(Clusters);
            chosen.Clear();
            albums.Clear();
            artists.Clear();
            var rank = 0;
            while (chosen.Count < TracksPerUser)
            {
                var t = random.NextDouble() < 0.5
                    ? byRank[Sample(global, random)]
                    : (Sample(local, random) * Clusters) + cluster;
                if (!chosen.Add(t))
                {
                    continue;
                }

                // Plays fall with the user's own rank, as a top-tracks list does.
                var plays = 1 + (long)(400.0 / (1 + rank) * (0.5 + random.NextDouble()));
                var loved = random.NextDouble() < LoveRate;
                rank++;
                track(u, t + 1, plays, loved, rank);
                Add(albums, t / 4, plays, loved);
                Add(artists, t / 10, plays, loved);
            }

            foreach (var (a, v) in albums.OrderByDescending(p => p.Value.Plays).Take(AlbumsPerUser))
            {
                album(u, a + 1, v.Plays, v.Loved);
            }

            foreach (var (a, v) in artists.OrderByDescending(p => p.Value.Plays).Take(ArtistsPerUser))
            {
                artist(u, a + 1, v.Plays, v.Loved);
            }
        }
    }

    private static void Add(Dictionary<int, (long Plays, int Loved)> totals, int key, long plays, bool loved)
    {
        var seen = totals.GetValueOrDefault(key);
        totals[key] = (seen.Plays + plays, seen.Loved + (loved ? 1 : 0));
    }

    private static async Task KindAsync(NpgsqlConnection connection, string target, List<(long User, long Item, long Plays, int Loved)> rows)
    {
        await using var copy = await connection.BeginBinaryImportAsync($"COPY {target} FROM STDIN (FORMAT BINARY)");
        foreach (var (user, item, plays, loved) in rows)
        {
            await copy.StartRowAsync();
            await copy.WriteAsync(user, NpgsqlDbType.Bigint);
            await copy.WriteAsync(item, NpgsqlDbType.Bigint);
            await copy.WriteAsync(plays, NpgsqlDbType.Bigint);
            await copy.WriteAsync(loved, NpgsqlDbType.Integer);
        }

        await copy.CompleteAsync();
    }

    /// <summary>Artists 1..A, albums 1..B and tracks 1..T in id order, so interaction rows can name them by number.</summary>
    private static async Task CatalogAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand(
            $"""
            INSERT INTO artists (name, name_key) SELECT 'Artist ' || i, 'artist ' || i FROM generate_series(1, {Artists}) i ORDER BY i;
            INSERT INTO albums (artist_id, name, name_key)
                SELECT (i - 1) * 4 / 10 + 1, 'Album ' || i, 'album ' || i FROM generate_series(1, {Albums}) i ORDER BY i;
            INSERT INTO tracks (artist_id, name, name_key)
                SELECT (i - 1) / 10 + 1, 'Track ' || i, 'track ' || i FROM generate_series(1, {Tracks}) i ORDER BY i;
            """, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
        await using var check = new NpgsqlCommand("SELECT (SELECT max(id) FROM tracks) = $1 AND (SELECT max(id) FROM artists) = $2", connection)
        {
            Parameters = { new() { Value = (long)Tracks }, new() { Value = (long)Artists } },
        };
        if (!(bool)(await check.ExecuteScalarAsync())!)
        {
            throw new InvalidOperationException("The scale world needs an empty database: catalog ids did not start at 1.");
        }
    }

    private static async Task UsersAsync(NpgsqlConnection connection, int users)
    {
        await using var command = new NpgsqlCommand(
            $"INSERT INTO lastfm_users (username, total_playcount) SELECT 'user' || i, 1000 FROM generate_series(1, {users}) i ORDER BY i",
            connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }

    private static double[] Zipf(int count, double exponent)
    {
        var cdf = new double[count];
        var sum = 0.0;
        for (var i = 0; i < count; i++)
        {
            sum += 1.0 / Math.Pow(i + 1, exponent);
            cdf[i] = sum;
        }

        for (var i = 0; i < count; i++)
        {
            cdf[i] /= sum;
        }

        return cdf;
    }

    private static int Sample(double[] cdf, Random random)
    {
        var found = Array.BinarySearch(cdf, random.NextDouble());
        return Math.Min(cdf.Length - 1, found >= 0 ? found : ~found);
    }
}
