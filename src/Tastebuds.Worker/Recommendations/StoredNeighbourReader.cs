using Npgsql;
using Tastebuds.Core;
using Tastebuds.Core.Similarity;
using Tastebuds.Worker.Similarity;

namespace Tastebuds.Worker.Recommendations;

/// <summary>
/// The neighbours the last similarity run stored, as a Core <see cref="NeighbourSet"/> over a matrix's user indices.
/// Stages meet only in the database: recommendations use exactly the neighbours <c>user_similarities</c> shows, so
/// every explanation names neighbours an operator can find there. Rows about users the matrix no longer holds
/// (deactivated, or without interactions since) are left out.
/// </summary>
internal static class StoredNeighbourReader
{
    public static async Task<(NeighbourSet Set, DateTimeOffset? ComputedAt, int Skipped)> ReadAsync(
        NpgsqlConnection connection, InteractionMatrix matrix, IReadOnlyList<SimilarityMetric> metrics, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT user_id, similar_user_id, metric, similarity_score::float8, track_score::float8, album_score::float8, artist_score::float8,
                   shared_tracks, shared_albums, shared_artists, computed_at
            FROM user_similarities
            WHERE metric = ANY($1)
            """, connection)
        {
            Parameters = { new() { Value = metrics.Select(MetricNames.Of).ToArray() } },
        };
        var rows = new List<StoredNeighbour>();
        DateTimeOffset? computedAt = null;
        var skipped = 0;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            if (!matrix.TryGetUser(reader.GetInt64(0), out var user) || !matrix.TryGetUser(reader.GetInt64(1), out var neighbour))
            {
                skipped++;
                continue;
            }

            var at = reader.GetFieldValue<DateTimeOffset>(10);
            computedAt = computedAt is null || at > computedAt ? at : computedAt;
            rows.Add(new StoredNeighbour(MetricNames.Parse(reader.GetString(2)), user, new Neighbour(
                neighbour, reader.GetDouble(3), Nullable(reader, 4), Nullable(reader, 5), Nullable(reader, 6),
                reader.GetInt32(7), reader.GetInt32(8), reader.GetInt32(9))));
        }

        return (NeighbourSet.FromStored(matrix.UserCount, rows), computedAt, skipped);
    }

    private static double? Nullable(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetDouble(column);
}
