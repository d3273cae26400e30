using Npgsql;
using NpgsqlTypes;
using Tastebuds.Core;
using Tastebuds.Core.Similarity;
using Tastebuds.Worker.Database;

namespace Tastebuds.Worker.Similarity;

/// <summary>
/// Writes every metric's neighbours into <c>user_similarities</c> through a staging table and one-transaction swap, in
/// the table's compact types (sql/0012: integer user ids, smallint counts).
/// </summary>
internal static class NeighbourWriter
{
    private const string Columns =
        "user_id, similar_user_id, metric, similarity_score, track_score, album_score, artist_score, "
        + "shared_tracks, shared_albums, shared_artists, shared_items, rank, computed_at";

    public static Task<long> ReplaceAsync(NpgsqlConnection connection, InteractionMatrix matrix, NeighbourSet neighbours,
        DateTimeOffset computedAt, TimeSpan commandTimeout, CancellationToken ct) =>
        StagedTableSwap.ReplaceAsync(connection, "user_similarities", Columns, async copy =>
        {
            long rows = 0;
            for (var u = 0; u < matrix.UserCount; u++)
            {
                foreach (var metric in Enum.GetValues<SimilarityMetric>())
                {
                    var list = neighbours.Of(u, metric);
                    for (var r = 0; r < list.Count; r++)
                    {
                        await WriteAsync(copy, matrix, u, metric, list[r], r + 1, computedAt, ct);
                        rows++;
                    }
                }
            }

            return rows;
        }, commandTimeout, ct);

    private static async Task WriteAsync(NpgsqlBinaryImporter copy, InteractionMatrix matrix, int user, SimilarityMetric metric,
        Neighbour n, int rank, DateTimeOffset computedAt, CancellationToken ct)
    {
        await copy.StartRowAsync(ct);
        await copy.WriteAsync(checked((int)matrix.UserId(user)), NpgsqlDbType.Integer, ct);
        await copy.WriteAsync(checked((int)matrix.UserId(n.User)), NpgsqlDbType.Integer, ct);
        await copy.WriteAsync(MetricNames.Of(metric), NpgsqlDbType.Text, ct);
        await copy.WriteAsync(Clamp(n.Score), NpgsqlDbType.Real, ct);
        await WriteScoreAsync(copy, n.TrackScore, ct);
        await WriteScoreAsync(copy, n.AlbumScore, ct);
        await WriteScoreAsync(copy, n.ArtistScore, ct);
        await copy.WriteAsync(Count(n.SharedTracks), NpgsqlDbType.Smallint, ct);
        await copy.WriteAsync(Count(n.SharedAlbums), NpgsqlDbType.Smallint, ct);
        await copy.WriteAsync(Count(n.SharedArtists), NpgsqlDbType.Smallint, ct);
        await copy.WriteAsync(Count(n.SharedItems), NpgsqlDbType.Smallint, ct);
        await copy.WriteAsync((short)rank, NpgsqlDbType.Smallint, ct);
        await copy.WriteAsync(computedAt, NpgsqlDbType.TimestampTz, ct);
    }

    private static async Task WriteScoreAsync(NpgsqlBinaryImporter copy, double? score, CancellationToken ct)
    {
        if (score is { } value)
        {
            await copy.WriteAsync(Clamp(value), NpgsqlDbType.Real, ct);
        }
        else
        {
            await copy.WriteNullAsync(ct);
        }
    }

    // Shared counts are smallint (sql/0012): bounded by a user's fetched items, saturated in the unlikely case they are not.
    private static short Count(int shared) => (short)Math.Min(shared, short.MaxValue);

    // Cosine of identical vectors can come out a few ulps above 1; the schema checks [-1, 1]. Stored as real (sql/0007).
    private static float Clamp(double score) => (float)Math.Clamp(score, -1.0, 1.0);
}
