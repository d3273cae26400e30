using Npgsql;
using NpgsqlTypes;
using Tastebuds.Core;

namespace Tastebuds.Worker.Recommendations;

/// <summary>The artist of every track someone holds (for MaxTracksPerArtist) and the feedback that excludes tracks.</summary>
internal static class CatalogLookup
{
    public static async Task<Dictionary<long, long>> ArtistOfTracksAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var artists = new Dictionary<long, long>();
        await using var reader = await connection.BeginBinaryExportAsync(
            """
            COPY (SELECT t.id, t.artist_id FROM tracks t
                  WHERE EXISTS (SELECT 1 FROM user_track_interactions i WHERE i.track_id = t.id)
                     OR EXISTS (SELECT 1 FROM recommendation_feedback f WHERE f.track_id = t.id AND f.kind = 'liked'))
            TO STDOUT (FORMAT BINARY)
            """, ct);
        while (await reader.StartRowAsync(ct) != -1)
        {
            var track = await reader.ReadAsync<long>(NpgsqlDbType.Bigint, ct);
            artists[track] = await reader.ReadAsync<long>(NpgsqlDbType.Bigint, ct);
        }

        return artists;
    }

    /// <summary>Per user index, the dense items each user dismissed or disliked (never recommended to them again).</summary>
    public static async Task<IReadOnlyDictionary<int, int[]>> RejectedAsync(NpgsqlConnection connection, InteractionMatrix matrix,
        ItemKind kind, CancellationToken ct)
    {
        var rejected = new Dictionary<int, List<int>>();
        if (kind != ItemKind.Track)
        {
            return new Dictionary<int, int[]>();
        }

        await using var command = new NpgsqlCommand(
            "SELECT user_id, track_id FROM recommendation_feedback WHERE kind IN ('dismissed', 'disliked')", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            if (matrix.TryGetUser(reader.GetInt64(0), out var user) && matrix.TryGetItem(kind, reader.GetInt64(1), out var item))
            {
                (rejected.TryGetValue(user, out var items) ? items : rejected[user] = []).Add(item);
            }
        }

        return rejected.ToDictionary(p => p.Key, p => p.Value.ToArray());
    }
}
