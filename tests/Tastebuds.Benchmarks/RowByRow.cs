using Npgsql;
using Tastebuds.Worker.Fetching;

namespace Tastebuds.Benchmarks;

/// <summary>
/// The baseline the design rejected: the same snapshot written with one INSERT ... ON CONFLICT per catalog entry
/// and one INSERT per interaction, in one transaction. Only for measuring; never used by the worker.
/// </summary>
internal static class RowByRow
{
    public static async Task SaveAsync(NpgsqlDataSource dataSource, MergedSnapshot merged)
    {
        var profile = merged.Snapshot.Profile;
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var userId = (long)(await Scalar(connection,
            "INSERT INTO lastfm_users (username, total_playcount, last_fetched_at) VALUES ($1, $2, now()) ON CONFLICT ((lower(username))) DO UPDATE SET last_fetched_at = now() RETURNING id",
            profile.Name, profile.Playcount))!;
        var artists = new Dictionary<string, long>();
        foreach (var a in merged.Artists)
        {
            artists[a.Key] = (long)(await Scalar(connection,
                "INSERT INTO artists (name, name_key, mbid, url) VALUES ($1, $2, $3, $4) ON CONFLICT (name_key) DO UPDATE SET updated_at = artists.updated_at RETURNING id",
                a.Name, a.Key, a.Mbid, a.Url))!;
        }

        var albums = new Dictionary<(string, string), long>();
        foreach (var a in merged.Albums)
        {
            albums[(a.ArtistKey, a.Key)] = (long)(await Scalar(connection,
                "INSERT INTO albums (artist_id, name, name_key, mbid, url) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (artist_id, name_key) DO UPDATE SET updated_at = albums.updated_at RETURNING id",
                artists[a.ArtistKey], a.Name, a.Key, a.Mbid, a.Url))!;
        }

        var tracks = new Dictionary<(string, string), long>();
        foreach (var t in merged.Tracks)
        {
            tracks[(t.ArtistKey, t.Key)] = (long)(await Scalar(connection,
                "INSERT INTO tracks (artist_id, name, name_key, mbid, url) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (artist_id, name_key) DO UPDATE SET updated_at = tracks.updated_at RETURNING id",
                artists[t.ArtistKey], t.Name, t.Key, t.Mbid, t.Url))!;
        }

        foreach (var table in (string[])["user_track_interactions", "user_album_interactions", "user_artist_interactions"])
        {
            await Scalar(connection, $"DELETE FROM {table} WHERE user_id = $1", userId);
        }

        foreach (var r in merged.TrackRows)
        {
            await Scalar(connection, "INSERT INTO user_track_interactions (user_id, track_id, play_count, is_loved, loved_at, tags, rank) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                userId, tracks[(r.ArtistKey, r.TrackKey)], r.PlayCount, r.IsLoved, r.LovedAt, r.Tags.ToArray(), r.Rank);
        }

        foreach (var r in merged.AlbumRows)
        {
            await Scalar(connection, "INSERT INTO user_album_interactions (user_id, album_id, play_count, loved_tracks, tags, rank) VALUES ($1, $2, $3, $4, $5, $6)",
                userId, albums[(r.ArtistKey, r.Key)], r.PlayCount, r.LovedTracks, r.Tags.ToArray(), r.Rank);
        }

        foreach (var r in merged.ArtistRows.Where(r => r.PlayCount > 0 || r.LovedTracks > 0))
        {
            await Scalar(connection, "INSERT INTO user_artist_interactions (user_id, artist_id, play_count, loved_tracks, tags, rank) VALUES ($1, $2, $3, $4, $5, $6)",
                userId, artists[r.Key], r.PlayCount, r.LovedTracks, r.Tags.ToArray(), r.Rank);
        }

        await transaction.CommitAsync();
    }

    private static async Task<object?> Scalar(NpgsqlConnection connection, string sql, params object?[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return await command.ExecuteScalarAsync();
    }
}
