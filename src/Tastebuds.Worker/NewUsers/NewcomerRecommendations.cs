using Npgsql;
using Tastebuds.Core;
using Tastebuds.Core.Recommendations;
using Tastebuds.Core.Similarity;

namespace Tastebuds.Worker.NewUsers;

/// <summary>
/// A newcomer's recommendations from their fresh neighbours, on a small matrix of the newcomer and those neighbours
/// (all their signals, so every neighbour weighs in the denominator as in the full run). What the small matrix cannot
/// know comes from the database over all active users: pop(t)'s holder counts and user count, the tracks' artists for
/// the per-artist cap, the newcomer's dismissed and disliked tracks.
/// </summary>
internal static class NewcomerRecommendations
{
    public static async Task<Result> ComputeAsync(NpgsqlConnection connection, long user, IReadOnlyList<Interaction> own,
        NewcomerScores scores, IReadOnlyList<SimilarityMetric> metrics, long[] neighbourIds, WeightingOptions weighting,
        RecommendationOptions options, CancellationToken ct)
    {
        var rows = new List<Interaction>(own);
        rows.AddRange(await NewcomerReader.SignalsAsync(connection, neighbourIds, ct));
        var matrix = InteractionMatrix.Build(rows, weighting);
        if (!matrix.TryGetUser(user, out var u))
        {
            // The newcomer holds nothing (an empty profile): nothing to recommend from.
            return new Result(matrix, [.. metrics.Select(m => (m, (IReadOnlyList<Recommendation>)[]))]);
        }

        var itemIds = Enumerable.Range(0, matrix.ItemCount(options.Kind)).Select(i => matrix.ItemId(options.Kind, i)).ToArray();
        var holders = await HolderCountsAsync(connection, options.Kind, itemIds, ct);
        var users = await ActiveUsersWithSignalsAsync(connection, ct);
        var scale = Math.Log(1.0 + users);
        double Popularity(int item) => scale > 0 ? Math.Log(1.0 + holders.GetValueOrDefault(itemIds[item])) / scale : 0.0;

        long[]? artistOfTrack = null;
        if (options.Kind == ItemKind.Track)
        {
            var artists = await ArtistsAsync(connection, itemIds, ct);
            artistOfTrack = matrix.ArtistOfTrack(track => artists.TryGetValue(track, out var artist) ? artist : -track);
        }

        var excluded = (await ExcludedTracksAsync(connection, user, ct))
            .Select(track => matrix.TryGetItem(options.Kind, track, out var item) ? item : -1)
            .Where(item => item >= 0)
            .ToArray();
        var sets = new List<(SimilarityMetric, IReadOnlyList<Recommendation>)>();
        foreach (var metric in metrics)
        {
            // As the full run reads them back from user_similarities: clamped to [-1, 1] and stored as real (float32),
            // indexed in this matrix.
            var neighbours = scores.Top(metric)
                .Select(n => matrix.TryGetUser(scores.UserId(n), out var v)
                    ? n with { User = v, Score = (float)Math.Clamp(n.Score, -1.0, 1.0) }
                    : null)
                .OfType<Neighbour>()
                .ToArray();
            sets.Add((metric, Recommender.RecommendOne(matrix, u, neighbours, options, artistOfTrack, Popularity,
                options.Kind == ItemKind.Track ? excluded : null)));
        }

        return new Result(matrix, sets);
    }

    /// <summary>
    /// n_t per item: every holder counted along the (item, user_id) index (an index-only scan, no join per row), less the
    /// rows of inactive users (few: looked up by their primary key), plus liked feedback on tracks the user has no row for.
    /// One UNION of (item, user) pairs joined to lastfm_users took seconds at 100,000 users (millions of holder rows).
    /// </summary>
    private static async Task<Dictionary<long, long>> HolderCountsAsync(NpgsqlConnection connection, ItemKind kind, long[] items,
        CancellationToken ct)
    {
        var (table, item) = kind switch
        {
            ItemKind.Track => ("user_track_interactions", "track_id"),
            ItemKind.Album => ("user_album_interactions", "album_id"),
            _ => ("user_artist_interactions", "artist_id"),
        };
        var liked = kind == ItemKind.Track
            ? """
              UNION ALL
              SELECT f.track_id, 1 FROM recommendation_feedback f JOIN lastfm_users u ON u.id = f.user_id AND u.is_active
              WHERE f.kind = 'liked' AND f.track_id = ANY ($1)
                AND NOT EXISTS (SELECT 1 FROM user_track_interactions i WHERE i.user_id = f.user_id AND i.track_id = f.track_id)
              """
            : string.Empty;
        return await PairsAsync(connection,
            $"""
            WITH inactive AS MATERIALIZED (SELECT id FROM lastfm_users WHERE NOT is_active)
            SELECT item, sum(n)::bigint FROM (
                SELECT i.{item} AS item, count(*) AS n FROM {table} i WHERE i.{item} = ANY ($1) GROUP BY 1
                UNION ALL
                SELECT i.{item}, -count(*) FROM inactive x JOIN {table} i ON i.user_id = x.id WHERE i.{item} = ANY ($1) GROUP BY 1
                {liked}
            ) c GROUP BY item
            """, items, ct);
    }

    private static async Task<long> ActiveUsersWithSignalsAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        // The full run's N: active users with at least one row of any kind (user_vector_stats has a row per kind held).
        await using var command = new NpgsqlCommand(
            """
            SELECT count(*) FROM lastfm_users u
            WHERE u.is_active AND EXISTS (SELECT 1 FROM user_vector_stats s WHERE s.user_id = u.id AND s.items > 0)
            """, connection);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    private static Task<Dictionary<long, long>> ArtistsAsync(NpgsqlConnection connection, long[] tracks, CancellationToken ct) =>
        PairsAsync(connection, "SELECT id, artist_id FROM tracks WHERE id = ANY ($1)", tracks, ct);

    private static async Task<List<long>> ExcludedTracksAsync(NpgsqlConnection connection, long user, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "SELECT track_id FROM recommendation_feedback WHERE user_id = $1 AND kind IN ('dismissed', 'disliked')", connection)
        {
            Parameters = { new() { Value = user } },
        };
        var tracks = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            tracks.Add(reader.GetInt64(0));
        }

        return tracks;
    }

    private static async Task<Dictionary<long, long>> PairsAsync(NpgsqlConnection connection, string sql, long[] ids, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new() { Value = ids } } };
        var pairs = new Dictionary<long, long>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            pairs[reader.GetInt64(0)] = reader.GetInt64(1);
        }

        return pairs;
    }

    public sealed record Result(
        InteractionMatrix Matrix,
        IReadOnlyList<(SimilarityMetric Metric, IReadOnlyList<Recommendation> List)> Sets);
}
