using Npgsql;
using NpgsqlTypes;

namespace Tastebuds.Worker.Recommendations;

/// <summary>The artist of every track someone holds (for MaxTracksPerArtist) and every username (for explanations).</summary>
internal static class CatalogLookup
{
    public static async Task<Dictionary<long, long>> ArtistOfTracksAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var artists = new Dictionary<long, long>();
        await using var reader = await connection.BeginBinaryExportAsync(
            "COPY (SELECT t.id, t.artist_id FROM tracks t WHERE EXISTS (SELECT 1 FROM user_track_interactions i WHERE i.track_id = t.id)) TO STDOUT (FORMAT BINARY)", ct);
        while (await reader.StartRowAsync(ct) != -1)
        {
            var track = await reader.ReadAsync<long>(NpgsqlDbType.Bigint, ct);
            artists[track] = await reader.ReadAsync<long>(NpgsqlDbType.Bigint, ct);
        }

        return artists;
    }

    public static async Task<Dictionary<long, string>> UsernamesAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var names = new Dictionary<long, string>();
        await using var command = new NpgsqlCommand("SELECT id, username FROM lastfm_users", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            names[reader.GetInt64(0)] = reader.GetString(1);
        }

        return names;
    }
}
