using Npgsql;
using Tastebuds.Core;
using Tastebuds.Core.Similarity;

namespace Tastebuds.Worker.NewUsers;

/// <summary>
/// What the incremental step reads for one newcomer, all in the caller's snapshot: the newcomer's own signals, every
/// active user's rows for the newcomer's items (through the item indexes: the inverted index), and those users'
/// <c>user_vector_stats</c>. Liked feedback counts as loved, as in the full run's loader.
/// </summary>
internal static class NewcomerReader
{
    private const string Holders =
        """
        SELECT i.user_id, 0::smallint, i.track_id, i.play_count, i.is_loved OR f.user_id IS NOT NULL
        FROM user_track_interactions i
        JOIN lastfm_users u ON u.id = i.user_id AND u.is_active
        LEFT JOIN recommendation_feedback f ON f.user_id = i.user_id AND f.track_id = i.track_id AND f.kind = 'liked'
        WHERE i.track_id = ANY ($2) AND i.user_id <> $1
        UNION ALL
        SELECT f.user_id, 0::smallint, f.track_id, 0, true
        FROM recommendation_feedback f
        JOIN lastfm_users u ON u.id = f.user_id AND u.is_active
        WHERE f.kind = 'liked' AND f.track_id = ANY ($2) AND f.user_id <> $1
          AND NOT EXISTS (SELECT 1 FROM user_track_interactions i WHERE i.user_id = f.user_id AND i.track_id = f.track_id)
        UNION ALL
        SELECT i.user_id, 1::smallint, i.album_id, i.play_count, i.loved_tracks > 0
        FROM user_album_interactions i JOIN lastfm_users u ON u.id = i.user_id AND u.is_active
        WHERE i.album_id = ANY ($3) AND i.user_id <> $1
        UNION ALL
        SELECT i.user_id, 2::smallint, i.artist_id, i.play_count, i.loved_tracks > 0
        FROM user_artist_interactions i JOIN lastfm_users u ON u.id = i.user_id AND u.is_active
        WHERE i.artist_id = ANY ($4) AND i.user_id <> $1
        """;

    /// <summary>Every signal of the given users: (user, kind, item, plays, loved).</summary>
    public static async Task<List<Interaction>> SignalsAsync(NpgsqlConnection connection, long[] users, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "SELECT user_id, kind, item_id, play_count, loved FROM user_item_signals_of($1)", connection)
        {
            Parameters = { new() { Value = users } },
        };
        return await ReadInteractionsAsync(command, ct);
    }

    /// <summary>The newcomer's items per kind, ascending, with their weights.</summary>
    public static IReadOnlyList<ItemWeight>[] Target(IEnumerable<Interaction> own, WeightingOptions weighting) =>
        [.. InteractionMatrix.Kinds.Select(kind => (IReadOnlyList<ItemWeight>)own
            .Where(i => i.Kind == kind)
            .OrderBy(i => i.ItemId)
            .Select(i => new ItemWeight(i.ItemId, weighting.Weight(i.PlayCount, i.Loved)))
            .ToArray())];

    public static async Task<IReadOnlyList<HolderWeight>[]> HoldersAsync(NpgsqlConnection connection, long user,
        IReadOnlyList<ItemWeight>[] target, WeightingOptions weighting, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(Holders, connection)
        {
            Parameters =
            {
                new() { Value = user },
                new() { Value = target[0].Select(i => i.Item).ToArray() },
                new() { Value = target[1].Select(i => i.Item).ToArray() },
                new() { Value = target[2].Select(i => i.Item).ToArray() },
            },
        };
        var byKind = new[] { new List<HolderWeight>(), new List<HolderWeight>(), new List<HolderWeight>() };
        foreach (var row in await ReadInteractionsAsync(command, ct))
        {
            byKind[(int)row.Kind].Add(new HolderWeight(row.UserId, row.ItemId, weighting.Weight(row.PlayCount, row.Loved)));
        }

        return [.. byKind];
    }

    /// <summary>Item count and norm per user and kind, for the configured weighting (see sql/0006 for the sums).</summary>
    public static async Task<Dictionary<long, VectorSummary[]>> SummariesAsync(NpgsqlConnection connection, long[] users,
        WeightingOptions weighting, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT user_id, kind, items, loved, played, played_loved, sum_log_sq, sum_log_loved, sum_raw_sq, sum_raw_loved
            FROM user_vector_stats WHERE user_id = ANY ($1)
            """, connection)
        {
            Parameters = { new() { Value = users } },
        };
        var summaries = new Dictionary<long, VectorSummary[]>(users.Length);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var user = reader.GetInt64(0);
            if (!summaries.TryGetValue(user, out var perKind))
            {
                perKind = new VectorSummary[3];
                summaries[user] = perKind;
            }

            var stats = new StoredVectorStats(reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4), reader.GetInt32(5),
                reader.GetDouble(6), reader.GetDouble(7), reader.GetDouble(8), reader.GetDouble(9));
            perKind[reader.GetInt16(1)] = new VectorSummary(stats.Items, stats.Norm(weighting));
        }

        return summaries;
    }

    private static async Task<List<Interaction>> ReadInteractionsAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var rows = new List<Interaction>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new Interaction(reader.GetInt64(0), (ItemKind)reader.GetInt16(1), reader.GetInt64(2), reader.GetInt64(3),
                reader.GetBoolean(4)));
        }

        return rows;
    }
}
