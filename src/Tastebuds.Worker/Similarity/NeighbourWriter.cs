using Npgsql;
using Tastebuds.Core;
using Tastebuds.Core.Similarity;
using Tastebuds.Worker.Database;

namespace Tastebuds.Worker.Similarity;

/// <summary>
/// Writes every metric's neighbours into <c>user_similarities</c> as a new generation (<see cref="StagedTableSwap"/>: its
/// parts, ranges of user ids holding about as many rows each, written at once, then swapped in one transaction), in the
/// table's compact types (sql/0012: integer user ids, smallint counts).
/// </summary>
internal static class NeighbourWriter
{
    private const string Columns =
        "user_id, similar_user_id, metric, similarity_score, track_score, album_score, artist_score, "
        + "shared_tracks, shared_albums, shared_artists, shared_items, rank, computed_at";

    public static Task<long> ReplaceAsync(NpgsqlDataSource dataSource, InteractionMatrix matrix, NeighbourSet neighbours,
        DateTimeOffset computedAt, TimeSpan commandTimeout, CancellationToken ct) =>
        ReplaceAsync(dataSource, matrix, neighbours, computedAt, commandTimeout, 1, new SwapSteps(), ct);

    /// <param name="connections">Parts of the generation written at once, each a range of user ids on its own connection.</param>
    /// <param name="steps">Filled with the time each step of the swap took (the run's details).</param>
    public static Task<long> ReplaceAsync(NpgsqlDataSource dataSource, InteractionMatrix matrix, NeighbourSet neighbours,
        DateTimeOffset computedAt, TimeSpan commandTimeout, int connections, SwapSteps steps, CancellationToken ct)
    {
        var users = UsersById(matrix);
        var ranges = GenerationParts.Balanced(users.Length, n => MetricsByName.Sum(m => neighbours.CountOf(users[n], m)), connections);
        var splits = ranges.Skip(1).Select(r => matrix.UserId(users[r.Start.Value])).ToArray();
        return StagedTableSwap.ReplaceAsync(dataSource, "user_similarities", Columns, splits, async parts =>
        {
            // One thread formats each part's rows (the COPYs' server sides run side by side as well).
            var written = await Task.WhenAll(ranges.Select((range, part) => Task.Run(() =>
            {
                var rows = WriteUsers(parts[part], matrix, neighbours, users.AsSpan(range), computedAt, ct);
                parts.Complete(part);
                return rows;
            }, ct)));
            return written.Sum();
        }, commandTimeout, steps, ct);
    }

    /// <summary>The users' rows (each user's metrics by name, each metric's list by neighbour id: the key's order).</summary>
    private static long WriteUsers(BinaryCopyRows copy, InteractionMatrix matrix, NeighbourSet neighbours, ReadOnlySpan<int> users,
        DateTimeOffset computedAt, CancellationToken ct)
    {
        long rows = 0;
        var order = new long[16];
        foreach (var u in users)
        {
            ct.ThrowIfCancellationRequested();
            foreach (var metric in MetricsByName)
            {
                var list = neighbours.RowsOf(u, metric);
                // The list by neighbour: the rows arrive in the primary key's order (user_id, metric, similar_user_id), so
                // the key's build finds them sorted (docs/operations.md); the rank is the place. User indices follow the
                // ids' order (InteractionMatrix), so each row's key is its neighbour's index, then its place.
                if (order.Length < list.Length)
                {
                    order = new long[list.Length];
                }

                for (var r = 0; r < list.Length; r++)
                {
                    order[r] = ((long)list[r].User << 32) | (uint)r;
                }

                order.AsSpan(0, list.Length).Sort();
                foreach (var key in order.AsSpan(0, list.Length))
                {
                    var r = (int)(uint)key;
                    Write(copy, matrix, u, metric, list[r], r + 1, computedAt);
                    rows++;
                }
            }
        }

        return rows;
    }

    /// <summary>The metrics in the order of their stored names (the key's second column; the same in every collation).</summary>
    private static readonly SimilarityMetric[] MetricsByName =
        [.. Enum.GetValues<SimilarityMetric>().OrderBy(m => MetricNames.Of(m), StringComparer.Ordinal)];

    private static int[] UsersById(InteractionMatrix matrix)
    {
        var users = new int[matrix.UserCount];
        for (var u = 0; u < users.Length; u++)
        {
            users[u] = u;
        }

        Array.Sort(users, (a, b) => matrix.UserId(a).CompareTo(matrix.UserId(b)));
        return users;
    }

    // 13 values a row, 15 M rows at 100,000 users, formatted by hand (BinaryCopyRows): with Npgsql's importer (a call per
    // value) the worker's CPU was about the server's side of the COPY; by hand it is a quarter of that (4.5 M rows: 3.3-4.3 s
    // of CPU against 0.9-1.2 s, the COPY step -13 to -20 %; docs/benchmarks.md, "The similarity write's rows formatted by
    // hand"). A write blocks only when the buffer goes out, which a batch stage can afford.
    private static void Write(BinaryCopyRows copy, InteractionMatrix matrix, int user, SimilarityMetric metric,
        in NeighbourRow n, int rank, DateTimeOffset computedAt)
    {
        copy.StartRow(13);
        copy.Int4(checked((int)matrix.UserId(user)));
        copy.Int4(checked((int)matrix.UserId(n.User)));
        copy.Text(MetricBytes[(int)metric]);
        copy.Float4(Clamp(n.Score));
        copy.Float4(ClampOrNull(n.TrackScore));
        copy.Float4(ClampOrNull(n.AlbumScore));
        copy.Float4(ClampOrNull(n.ArtistScore));
        copy.Int2(Count(n.SharedTracks));
        copy.Int2(Count(n.SharedAlbums));
        copy.Int2(Count(n.SharedArtists));
        copy.Int2(Count(n.SharedItems));
        copy.Int2((short)rank);
        copy.TimestampTz(computedAt);
    }

    /// <summary>Each metric's stored name as UTF-8, by <see cref="SimilarityMetric"/> value: encoded once, not once a row.</summary>
    private static readonly byte[][] MetricBytes =
        [.. Enum.GetValues<SimilarityMetric>().OrderBy(m => (int)m).Select(m => System.Text.Encoding.UTF8.GetBytes(MetricNames.Of(m)))];

    // Shared counts are smallint (sql/0012): bounded by a user's fetched items, saturated in the unlikely case they are not.
    private static short Count(int shared) => (short)Math.Min(shared, short.MaxValue);

    // Cosine of identical vectors can come out a few ulps above 1; the schema checks [-1, 1]. Stored as real (sql/0007).
    private static float Clamp(double score) => (float)Math.Clamp(score, -1.0, 1.0);

    // A per-kind score that did not count is NaN in the compact row and NULL in the table.
    private static float? ClampOrNull(double score) => double.IsNaN(score) ? null : Clamp(score);
}
