using Npgsql;
using NpgsqlTypes;
using Tastebuds.Core;
using Tastebuds.Core.Similarity;

namespace Tastebuds.Worker.NewUsers;

/// <summary>
/// What the incremental step reads for one newcomer, all in the caller's snapshot: the newcomer's own signals, the
/// active users' rows for the newcomer's items (through the (item, user_id) indexes: the inverted index; at most a
/// window of <c>MaxHoldersPerItem</c> of them per popular item), those users' <c>user_vector_stats</c>, and after a
/// capped read the shortlist's rows in full. Liked feedback counts as loved, as in the full run's loader.
/// </summary>
internal static class NewcomerReader
{
    // One kind's holders of the newcomer's items, at most $limit per item (NULL: all of them): the window of holders in
    // ascending user id, wrapping round, from the first id >= the item's start (sql/0010's (item, user_id) indexes).
    private static string Window(string loved, string table, string item) =>
        $"""
        CROSS JOIN LATERAL (
            SELECT * FROM (
                (SELECT i.user_id, i.play_count, {loved} AS loved, 0::smallint AS part
                 FROM {table} i JOIN lastfm_users u ON u.id = i.user_id AND u.is_active
                 WHERE i.{item} = t.item AND i.user_id >= t.start AND i.user_id <> $1
                 ORDER BY i.user_id LIMIT $8)
                UNION ALL
                (SELECT i.user_id, i.play_count, {loved}, 1::smallint
                 FROM {table} i JOIN lastfm_users u ON u.id = i.user_id AND u.is_active
                 WHERE i.{item} = t.item AND i.user_id < t.start AND i.user_id <> $1
                 ORDER BY i.user_id LIMIT $8)) x
            LIMIT $8) w
        """;

    private const string LikedTrack =
        "(i.is_loved OR EXISTS (SELECT 1 FROM recommendation_feedback f WHERE f.user_id = i.user_id AND f.track_id = i.track_id AND f.kind = 'liked'))";

    private static readonly string Holders = string.Join("\nUNION ALL\n",
        "SELECT w.user_id, 0::smallint, t.item, w.play_count, w.loved, w.part FROM unnest($2::bigint[], $5::bigint[]) AS t(item, start)\n"
            + Window(LikedTrack, "user_track_interactions", "track_id"),
        """
        SELECT f.user_id, 0::smallint, f.track_id, 0, true, 2::smallint
        FROM recommendation_feedback f
        JOIN lastfm_users u ON u.id = f.user_id AND u.is_active
        WHERE f.kind = 'liked' AND f.track_id = ANY ($2) AND f.user_id <> $1
          AND NOT EXISTS (SELECT 1 FROM user_track_interactions i WHERE i.user_id = f.user_id AND i.track_id = f.track_id)
        """,
        "SELECT w.user_id, 1::smallint, t.item, w.play_count, w.loved, w.part FROM unnest($3::bigint[], $6::bigint[]) AS t(item, start)\n"
            + Window("i.loved_tracks > 0", "user_album_interactions", "album_id"),
        "SELECT w.user_id, 2::smallint, t.item, w.play_count, w.loved, w.part FROM unnest($4::bigint[], $7::bigint[]) AS t(item, start)\n"
            + Window("i.loved_tracks > 0", "user_artist_interactions", "artist_id"));

    /// <summary>
    /// The given users' signals for the newcomer's items ($2 tracks, $3 albums, $4 artists), liked as loved: the rows of
    /// user_item_signals_of, found by (item, user) pairs on the item indexes instead of reading all the users' rows.
    /// </summary>
    private const string HoldersAmong =
        """
        SELECT i.user_id, 0::smallint, i.track_id, i.play_count,
               i.is_loved OR EXISTS (SELECT 1 FROM recommendation_feedback f
                                     WHERE f.user_id = i.user_id AND f.track_id = i.track_id AND f.kind = 'liked'), 0::smallint
        FROM user_track_interactions i WHERE i.user_id = ANY ($1) AND i.track_id = ANY ($2)
        UNION ALL
        SELECT f.user_id, 0::smallint, f.track_id, 0, true, 0::smallint
        FROM recommendation_feedback f
        WHERE f.kind = 'liked' AND f.user_id = ANY ($1) AND f.track_id = ANY ($2)
          AND NOT EXISTS (SELECT 1 FROM user_track_interactions i WHERE i.user_id = f.user_id AND i.track_id = f.track_id)
        UNION ALL
        SELECT i.user_id, 1::smallint, i.album_id, i.play_count, i.loved_tracks > 0, 0::smallint
        FROM user_album_interactions i WHERE i.user_id = ANY ($1) AND i.album_id = ANY ($3)
        UNION ALL
        SELECT i.user_id, 2::smallint, i.artist_id, i.play_count, i.loved_tracks > 0, 0::smallint
        FROM user_artist_interactions i WHERE i.user_id = ANY ($1) AND i.artist_id = ANY ($4)
        """;

    /// <summary>Every signal of the given users: (user, kind, item, plays, loved).</summary>
    public static async Task<List<Interaction>> SignalsAsync(NpgsqlConnection connection, long[] users, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "SELECT user_id, kind, item_id, play_count, loved FROM user_item_signals_of($1)", connection)
        {
            Parameters = { new() { Value = users } },
        };
        return [.. (await ReadInteractionsAsync(command, ct)).Select(r => r.Interaction)];
    }

    /// <summary>The newcomer's items per kind, ascending, with their weights.</summary>
    public static IReadOnlyList<ItemWeight>[] Target(IEnumerable<Interaction> own, WeightingOptions weighting) =>
        [.. InteractionMatrix.Kinds.Select(kind => (IReadOnlyList<ItemWeight>)own
            .Where(i => i.Kind == kind)
            .OrderBy(i => i.ItemId)
            .Select(i => new ItemWeight(i.ItemId, weighting.Weight(i.PlayCount, i.Loved)))
            .ToArray())];

    /// <summary>
    /// Every active user's rows for the newcomer's items, except that of an item held by more than
    /// <paramref name="maxHoldersPerItem"/> (&gt; 0) other users only a window of that many is read: then
    /// <see cref="BoundedHolders.Pruned"/> is set and the sums are partial (see <see cref="NewcomerShortlist"/>).
    /// </summary>
    public static async Task<BoundedHolders> HoldersAsync(NpgsqlConnection connection, long user,
        IReadOnlyList<ItemWeight>[] target, WeightingOptions weighting, int maxHoldersPerItem, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(Holders, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = user });
        foreach (var items in target)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = items.Select(i => i.Item).ToArray() });
        }

        foreach (var items in target)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = items.Select(i => WindowStart(user, i.Item)).ToArray() });
        }

        // One more than the cap tells a popular item from one held by exactly the cap.
        command.Parameters.Add(new NpgsqlParameter
        {
            Value = maxHoldersPerItem > 0 ? maxHoldersPerItem + 1 : DBNull.Value,
            NpgsqlDbType = NpgsqlDbType.Bigint,
        });
        var rows = await ReadInteractionsAsync(command, ct);
        var byKind = new[] { new List<HolderWeight>(), new List<HolderWeight>(), new List<HolderWeight>() };
        var pruned = false;
        foreach (var item in rows.GroupBy(r => (r.Interaction.Kind, r.Interaction.ItemId)))
        {
            var holders = item.AsEnumerable();
            if (maxHoldersPerItem > 0 && item.Count(r => !r.FeedbackOnly) > maxHoldersPerItem)
            {
                pruned = true;
                holders = item.Where(r => !r.FeedbackOnly).OrderBy(r => r.Wrapped).ThenBy(r => r.Interaction.UserId).Take(maxHoldersPerItem)
                    .Concat(item.Where(r => r.FeedbackOnly));
            }

            foreach (var (row, _, _) in holders)
            {
                byKind[(int)row.Kind].Add(new HolderWeight(row.UserId, row.ItemId, weighting.Weight(row.PlayCount, row.Loved)));
            }
        }

        return new BoundedHolders([.. byKind], pruned);
    }

    /// <summary>The rows of <paramref name="users"/> (the shortlist) for the newcomer's items, all of them.</summary>
    public static async Task<IReadOnlyList<HolderWeight>[]> HoldersAmongAsync(NpgsqlConnection connection, long[] users,
        IReadOnlyList<ItemWeight>[] target, WeightingOptions weighting, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(HoldersAmong, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = users });
        foreach (var items in target)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = items.Select(i => i.Item).ToArray() });
        }

        var byKind = new[] { new List<HolderWeight>(), new List<HolderWeight>(), new List<HolderWeight>() };
        foreach (var (row, _, _) in await ReadInteractionsAsync(command, ct))
        {
            byKind[(int)row.Kind].Add(new HolderWeight(row.UserId, row.ItemId, weighting.Weight(row.PlayCount, row.Loved)));
        }

        return [.. byKind];
    }

    /// <summary>Where the window of an item's holders starts: an id below the newcomer's that depends on both.</summary>
    internal static long WindowStart(long user, long item) =>
        unchecked((((uint)user * 2654435761u) ^ ((uint)item * 40503u)) % (uint)Math.Max(1, user));

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

    private static async Task<List<(Interaction Interaction, bool Wrapped, bool FeedbackOnly)>> ReadInteractionsAsync(
        NpgsqlCommand command, CancellationToken ct)
    {
        var rows = new List<(Interaction, bool, bool)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        // Column 5, when there: 0 a row of the window before wrapping round, 1 after, 2 a liked track not in the table.
        var part = reader.FieldCount > 5;
        while (await reader.ReadAsync(ct))
        {
            var interaction = new Interaction(reader.GetInt64(0), (ItemKind)reader.GetInt16(1), reader.GetInt64(2), reader.GetInt64(3),
                reader.GetBoolean(4));
            var p = part ? reader.GetInt16(5) : 0;
            rows.Add((interaction, p == 1, p == 2));
        }

        return rows;
    }
}

/// <summary>Per kind, the holders read; <see cref="Pruned"/> when a popular item's holders were read in part.</summary>
internal sealed record BoundedHolders(IReadOnlyList<HolderWeight>[] Holders, bool Pruned);
