using Npgsql;
using NpgsqlTypes;

namespace Tastebuds.Worker.Fetching;

/// <summary>
/// Stores one user's snapshot in one transaction: profile upsert, catalog upserts (binary COPY into temporary
/// tables, then one INSERT ... ON CONFLICT per kind), then the user's interactions replaced (DELETE, then
/// binary COPY straight in), and the personal tags and friend edges when this fetch fetched them. A failure or
/// cancellation anywhere leaves the previous snapshot whole.
/// </summary>
public sealed class SnapshotStore(NpgsqlDataSource dataSource)
{
    public async Task<StoredSnapshot> SaveAsync(MergedSnapshot merged, CancellationToken ct)
    {
        var snapshot = merged.Snapshot;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);

        var userId = await UpsertUserAsync(connection, merged, ct);
        await StageCatalogAsync(connection, merged, ct);
        await Sql(connection, CatalogUpsert, ct);
        var artistIds = await ReadIdsAsync(connection, "SELECT t.name_key, '', a.id FROM tmp_artists t JOIN artists a ON a.name_key = t.name_key", ct);
        var albumIds = await ReadIdsAsync(connection,
            "SELECT t.artist_key, t.name_key, al.id FROM tmp_albums t JOIN artists a ON a.name_key = t.artist_key JOIN albums al ON al.artist_id = a.id AND al.name_key = t.name_key", ct);
        var trackIds = await ReadIdsAsync(connection,
            "SELECT t.artist_key, t.name_key, tr.id FROM tmp_tracks t JOIN artists a ON a.name_key = t.artist_key JOIN tracks tr ON tr.artist_id = a.id AND tr.name_key = t.name_key", ct);

        await using (var delete = new NpgsqlBatch(connection))
        {
            foreach (var table in (string[])["user_track_interactions", "user_album_interactions", "user_artist_interactions"])
            {
                delete.BatchCommands.Add(new NpgsqlBatchCommand($"DELETE FROM {table} WHERE user_id = $1") { Parameters = { new() { Value = userId } } });
            }

            await delete.ExecuteNonQueryAsync(ct);
        }

        var tracks = await CopyTrackRowsAsync(connection, userId, merged, trackIds, ct);
        var albums = await CopyKindRowsAsync(connection, "user_album_interactions", "album_id", userId, merged.Snapshot.Period,
            merged.AlbumRows, r => albumIds[(r.ArtistKey, r.Key)], ct);
        var artists = await CopyKindRowsAsync(connection, "user_artist_interactions", "artist_id", userId, merged.Snapshot.Period,
            merged.ArtistRows, r => artistIds[(r.Key, string.Empty)], ct);

        if (snapshot.TagsFetched)
        {
            // Only what MergedSnapshot applies is kept, so the stored tags applied again give what this fetch gave.
            await ReplacePersonalTagsAsync(connection, userId,
                [.. snapshot.Tags.Where(t => CatalogKey.IsUsable(t.Tag) && CatalogKey.IsUsable(t.Item.Name))], ct);
        }

        if (snapshot.FriendsFetched)
        {
            await ReplaceFriendsAsync(connection, userId, snapshot.Friends, ct);
        }

        await transaction.CommitAsync(ct);
        return new StoredSnapshot(userId, tracks, albums, artists);
    }

    private static async Task<long> UpsertUserAsync(NpgsqlConnection connection, MergedSnapshot merged, CancellationToken ct)
    {
        var profile = merged.Snapshot.Profile;
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO lastfm_users AS u (username, real_name, country, total_playcount, registered_at, profile_url, image_url, last_fetched_at,
                                           loved_tracks_total, last_full_fetch_at, tags_fetched_at, refresh_fraction)
            VALUES ($1, $2, $3, $4, $5, $6, $7, now(), $8, now(), CASE WHEN $9 THEN now() END, 1 - random() / 2)
            ON CONFLICT ((lower(username))) DO UPDATE
               SET username = excluded.username, real_name = excluded.real_name, country = excluded.country,
                   total_playcount = excluded.total_playcount, registered_at = excluded.registered_at,
                   profile_url = excluded.profile_url, image_url = excluded.image_url,
                   last_fetched_at = now(), updated_at = now(),
                   loved_tracks_total = excluded.loved_tracks_total, last_full_fetch_at = now(),
                   tags_fetched_at = CASE WHEN $9 THEN now() ELSE u.tags_fetched_at END,
                   -- drawn again with each tag fetch only: a user fetched in full every week keeps their phase
                   refresh_fraction = CASE WHEN $9 OR u.refresh_fraction IS NULL THEN excluded.refresh_fraction ELSE u.refresh_fraction END
            RETURNING id
            """, connection)
        {
            Parameters =
            {
                new() { Value = profile.Name },
                new() { Value = (object?)profile.RealName ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = (object?)profile.Country ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = merged.TotalPlaycount },
                new() { Value = (object?)profile.Registered ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz },
                new() { Value = (object?)profile.Url ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = (object?)profile.ImageUrl ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = (object?)merged.Snapshot.LovedTracksTotal ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer },
                new() { Value = merged.Snapshot.TagsFetched, NpgsqlDbType = NpgsqlDbType.Boolean },
            },
        };
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The personal tags as fetched, in the order served: applied again by full fetches until the next tag fetch.</summary>
    private static async Task ReplacePersonalTagsAsync(NpgsqlConnection connection, long userId, IReadOnlyList<PersonalTag> tags, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("DELETE FROM user_personal_tags WHERE user_id = $1") { Parameters = { new() { Value = userId } } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            """
            INSERT INTO user_personal_tags (user_id, position, tag, kind, name, artist)
            SELECT $1, (t.ord - 1)::integer, t.tag, t.kind, t.name, t.artist
            FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS t(tag, kind, name, artist, ord)
            """)
        {
            Parameters =
            {
                new() { Value = userId },
                new() { Value = tags.Select(t => t.Tag).ToArray() },
                new() { Value = tags.Select(t => FetchStateStore.KindName(t.Item.Kind)).ToArray() },
                new() { Value = tags.Select(t => t.Item.Name).ToArray() },
                new() { Value = tags.Select(t => t.Item.Artist).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
            },
        });
        await batch.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// The user's friend edges replaced by the friends just fetched (user_friends, sql/0013). Friends not yet known
    /// become active users first (fetched from the next run on; known users are left as they are), so every edge
    /// names a stored user. Names are matched as lastfm_users matches them (case-insensitively); blank names, the
    /// user themself and repeats are dropped; of two spellings of one new user the first served is kept. Users are
    /// inserted in name order so that two fetches adding the same new friends take their locks in the same order.
    /// </summary>
    private static async Task ReplaceFriendsAsync(NpgsqlConnection connection, long userId, IReadOnlyList<string> usernames, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            """
            INSERT INTO lastfm_users (username)
            SELECT f.name FROM (
                SELECT DISTINCT ON (lower(u.name)) u.name FROM unnest($1::text[]) WITH ORDINALITY AS u(name, ord)
                WHERE btrim(u.name) <> '' ORDER BY lower(u.name), u.ord) f
            ORDER BY lower(f.name)
            ON CONFLICT ((lower(username))) DO NOTHING
            """)
        {
            Parameters = { new() { Value = usernames.ToArray() } },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand("DELETE FROM user_friends WHERE user_id = $1") { Parameters = { new() { Value = userId } } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            """
            INSERT INTO user_friends (user_id, friend_id)
            SELECT DISTINCT $1::bigint, l.id
            FROM unnest($2::text[]) AS u(name) JOIN lastfm_users l ON lower(l.username) = lower(u.name)
            WHERE btrim(u.name) <> '' AND l.id <> $1
            """)
        {
            Parameters = { new() { Value = userId }, new() { Value = usernames.ToArray() } },
        });
        await batch.ExecuteNonQueryAsync(ct);
    }

    private static async Task StageCatalogAsync(NpgsqlConnection connection, MergedSnapshot merged, CancellationToken ct)
    {
        await Sql(connection,
            """
            CREATE TEMP TABLE tmp_artists (name text, name_key text, mbid text, url text) ON COMMIT DROP;
            CREATE TEMP TABLE tmp_albums (artist_key text, name text, name_key text, mbid text, url text) ON COMMIT DROP;
            CREATE TEMP TABLE tmp_tracks (artist_key text, name text, name_key text, mbid text, url text) ON COMMIT DROP;
            """, ct);

        await using (var artists = await connection.BeginBinaryImportAsync("COPY tmp_artists (name, name_key, mbid, url) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var a in merged.Artists)
            {
                await artists.StartRowAsync(ct);
                await artists.WriteAsync(a.Name, NpgsqlDbType.Text, ct);
                await artists.WriteAsync(a.Key, NpgsqlDbType.Text, ct);
                await WriteOrNullAsync(artists, a.Mbid, NpgsqlDbType.Text, ct);
                await WriteOrNullAsync(artists, a.Url, NpgsqlDbType.Text, ct);
            }

            await artists.CompleteAsync(ct);
        }

        await CopyItemsAsync(connection, "tmp_albums", merged.Albums, ct);
        await CopyItemsAsync(connection, "tmp_tracks", merged.Tracks, ct);
    }

    private static async Task CopyItemsAsync(NpgsqlConnection connection, string table, IEnumerable<CatalogItem> items, CancellationToken ct)
    {
        await using var writer = await connection.BeginBinaryImportAsync($"COPY {table} (artist_key, name, name_key, mbid, url) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var item in items)
        {
            await writer.StartRowAsync(ct);
            await writer.WriteAsync(item.ArtistKey, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(item.Name, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(item.Key, NpgsqlDbType.Text, ct);
            await WriteOrNullAsync(writer, item.Mbid, NpgsqlDbType.Text, ct);
            await WriteOrNullAsync(writer, item.Url, NpgsqlDbType.Text, ct);
        }

        await writer.CompleteAsync(ct);
    }

    private static async Task<int> CopyTrackRowsAsync(
        NpgsqlConnection connection, long userId, MergedSnapshot merged, Dictionary<(string, string), long> ids, CancellationToken ct)
    {
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY user_track_interactions (user_id, track_id, play_count, is_loved, loved_at, tags, rank, period) FROM STDIN (FORMAT BINARY)", ct);
        var rows = 0;
        foreach (var row in merged.TrackRows.Where(r => r.PlayCount > 0 || r.IsLoved))
        {
            await writer.StartRowAsync(ct);
            await writer.WriteAsync(userId, NpgsqlDbType.Bigint, ct);
            await writer.WriteAsync(ids[(row.ArtistKey, row.TrackKey)], NpgsqlDbType.Bigint, ct);
            await writer.WriteAsync(row.PlayCount, NpgsqlDbType.Bigint, ct);
            await writer.WriteAsync(row.IsLoved, NpgsqlDbType.Boolean, ct);
            await WriteOrNullAsync(writer, row.LovedAt, NpgsqlDbType.TimestampTz, ct);

            await writer.WriteAsync(row.Tags.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
            await WriteOrNullAsync(writer, row.Rank, NpgsqlDbType.Integer, ct);
            await writer.WriteAsync(merged.Snapshot.Period, NpgsqlDbType.Text, ct);
            rows++;
        }

        await writer.CompleteAsync(ct);
        return rows;
    }

    private static async Task<int> CopyKindRowsAsync(
        NpgsqlConnection connection, string table, string idColumn, long userId, string period,
        IEnumerable<KindRow> rows, Func<KindRow, long> id, CancellationToken ct)
    {
        await using var writer = await connection.BeginBinaryImportAsync(
            $"COPY {table} (user_id, {idColumn}, play_count, loved_tracks, tags, rank, period) FROM STDIN (FORMAT BINARY)", ct);
        var written = 0;
        foreach (var row in rows.Where(r => r.PlayCount > 0 || r.LovedTracks > 0))
        {
            await writer.StartRowAsync(ct);
            await writer.WriteAsync(userId, NpgsqlDbType.Bigint, ct);
            await writer.WriteAsync(id(row), NpgsqlDbType.Bigint, ct);
            await writer.WriteAsync(row.PlayCount, NpgsqlDbType.Bigint, ct);
            await writer.WriteAsync(row.LovedTracks, NpgsqlDbType.Integer, ct);
            await writer.WriteAsync(row.Tags.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
            await WriteOrNullAsync(writer, row.Rank, NpgsqlDbType.Integer, ct);
            await writer.WriteAsync(period, NpgsqlDbType.Text, ct);
            written++;
        }

        await writer.CompleteAsync(ct);
        return written;
    }

    private static async Task<Dictionary<(string, string), long>> ReadIdsAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        var ids = new Dictionary<(string, string), long>();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            ids[(reader.GetString(0), reader.GetString(1))] = reader.GetInt64(2);
        }

        return ids;
    }

    /// <summary>Writes a value, or NULL for a missing one (mbid, url, rank, loved_at).</summary>
    private static async Task WriteOrNullAsync<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type, CancellationToken ct)
    {
        if (value is null)
        {
            await writer.WriteNullAsync(ct);
        }
        else
        {
            await writer.WriteAsync(value, type, ct);
        }
    }

    private static async Task Sql(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    // Updates only fill what was missing (an mbid, a url): unchanged rows are not rewritten on every fetch.
    // Rows are inserted in key order so concurrent fetches of overlapping catalogs lock in the same order.
    private const string CatalogUpsert =
        """
        INSERT INTO artists AS a (name, name_key, mbid, url)
        SELECT name, name_key, mbid, url FROM tmp_artists ORDER BY name_key
        ON CONFLICT (name_key) DO UPDATE
           SET mbid = coalesce(a.mbid, excluded.mbid), url = coalesce(a.url, excluded.url), updated_at = now()
         WHERE (a.mbid IS NULL AND excluded.mbid IS NOT NULL) OR (a.url IS NULL AND excluded.url IS NOT NULL);

        INSERT INTO albums AS al (artist_id, name, name_key, mbid, url)
        SELECT a.id, t.name, t.name_key, t.mbid, t.url
        FROM tmp_albums t JOIN artists a ON a.name_key = t.artist_key
        ORDER BY a.id, t.name_key
        ON CONFLICT (artist_id, name_key) DO UPDATE
           SET mbid = coalesce(al.mbid, excluded.mbid), url = coalesce(al.url, excluded.url), updated_at = now()
         WHERE (al.mbid IS NULL AND excluded.mbid IS NOT NULL) OR (al.url IS NULL AND excluded.url IS NOT NULL);

        INSERT INTO tracks AS tr (artist_id, name, name_key, mbid, url)
        SELECT a.id, t.name, t.name_key, t.mbid, t.url
        FROM tmp_tracks t JOIN artists a ON a.name_key = t.artist_key
        ORDER BY a.id, t.name_key
        ON CONFLICT (artist_id, name_key) DO UPDATE
           SET mbid = coalesce(tr.mbid, excluded.mbid), url = coalesce(tr.url, excluded.url), updated_at = now()
         WHERE (tr.mbid IS NULL AND excluded.mbid IS NOT NULL) OR (tr.url IS NULL AND excluded.url IS NOT NULL);
        """;
}

/// <summary>What a save wrote: the user's id and the interaction rows per kind.</summary>
public sealed record StoredSnapshot(long UserId, int Tracks, int Albums, int Artists);
