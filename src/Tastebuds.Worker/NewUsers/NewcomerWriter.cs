using Npgsql;
using NpgsqlTypes;
using Tastebuds.Core;
using Tastebuds.Core.Recommendations;
using Tastebuds.Core.Similarity;
using Tastebuds.Worker.Recommendations;
using Tastebuds.Worker.Similarity;

namespace Tastebuds.Worker.NewUsers;

/// <summary>
/// Writes one newcomer's results inside the caller's transaction: their three neighbour lists, their place in the lists
/// of the users whose top-K they now enter (re-ranked, the K+1-th dropped), and their recommendations.
/// </summary>
internal static class NewcomerWriter
{
    /// <summary>The lists entered ($1 users, $2 metrics), ranked as the full run ranks: score, then lower user id.</summary>
    private const string Ranked =
        """
        WITH ranked AS (
            SELECT s.user_id, s.metric, s.similar_user_id,
                   row_number() OVER (PARTITION BY s.user_id, s.metric ORDER BY s.similarity_score DESC, s.similar_user_id) AS r
            FROM user_similarities s JOIN unnest($1::bigint[], $2::text[]) AS e(user_id, metric)
              ON s.user_id = e.user_id AND s.metric = e.metric)
        """;

    public static async Task<int> WriteNeighboursAsync(NpgsqlConnection connection, long user, NewcomerScores scores,
        int maxNeighbours, DateTimeOffset computedAt, CancellationToken ct)
    {
        var own = new PairRows();
        var offered = new PairRows();
        foreach (var metric in Enum.GetValues<SimilarityMetric>())
        {
            var ranked = scores.Ranked(metric);
            for (var r = 0; r < ranked.Count; r++)
            {
                var n = ranked[r];
                var other = scores.UserId(n);
                if (r < maxNeighbours)
                {
                    own.Add(user, other, metric, n, r + 1);
                }

                // Scores are symmetric: the newcomer scores the same in the other user's list.
                offered.Add(other, user, metric, n, maxNeighbours + 1);
            }
        }

        await ExecuteAsync(connection, "DELETE FROM user_similarities WHERE user_id = $1", ct, user);
        await own.InsertAsync(connection, computedAt, conflict: string.Empty, ct);

        // Offered pairs enter a list that is short, or beat its worst entry (lower score, then higher user id), compared
        // as stored (real).
        var entered = await offered.InsertAsync(connection, computedAt,
            """
            WHERE NOT EXISTS (
                SELECT 1 FROM (SELECT s.similarity_score, s.similar_user_id, s.rank FROM user_similarities s
                               WHERE s.user_id = p.user_id AND s.metric = p.metric
                               ORDER BY s.similarity_score, s.similar_user_id DESC LIMIT 1) w
                WHERE w.rank >= $13 AND (w.similarity_score > p.score::real
                                         OR (w.similarity_score = p.score::real AND w.similar_user_id < p.similar_user_id)))
            ON CONFLICT (user_id, metric, similar_user_id) DO NOTHING
            """, ct, maxNeighbours);
        if (entered.Count == 0)
        {
            return 0;
        }

        var lists = entered.Select(e => e.User).ToArray();
        var metrics = entered.Select(e => e.Metric).ToArray();
        // Re-rank the lists entered, and drop what fell below K, as the full run's order has it.
        await ExecuteAsync(connection,
            $"""
            {Ranked}
            DELETE FROM user_similarities s USING ranked
            WHERE s.user_id = ranked.user_id AND s.metric = ranked.metric AND s.similar_user_id = ranked.similar_user_id
              AND ranked.r > $3
            """, ct, lists, metrics, maxNeighbours);
        await ExecuteAsync(connection,
            $"""
            {Ranked}
            UPDATE user_similarities s SET rank = ranked.r
            FROM ranked
            WHERE s.user_id = ranked.user_id AND s.metric = ranked.metric AND s.similar_user_id = ranked.similar_user_id
              AND s.rank <> ranked.r
            """, ct, lists, metrics);
        return entered.Count;
    }

    /// <summary>Replaces the newcomer's recommendation rows (compact columns, sql/0009) by binary COPY into the parent.</summary>
    public static async Task<long> WriteRecommendationsAsync(NpgsqlConnection connection, long user, InteractionMatrix matrix,
        IReadOnlyList<(SimilarityMetric Metric, IReadOnlyList<Recommendation> List)> sets, ItemKind kind, double popularityWeight,
        DateTimeOffset generatedAt, CancellationToken ct)
    {
        await ExecuteAsync(connection, "DELETE FROM collaborative_recommendations WHERE user_id = $1", ct, user);
        long written = 0;
        await using var copy = await connection.BeginBinaryImportAsync(
            $"COPY collaborative_recommendations ({RecommendationRow.Columns}) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var (metric, list) in sets)
        {
            var name = MetricNames.Of(metric);
            foreach (var r in list)
            {
                await RecommendationRow.Of(name, user, matrix.ItemId(kind, r.Item), r, popularityWeight, matrix).WriteAsync(copy, generatedAt, ct);
                written++;
            }
        }

        await copy.CompleteAsync(ct);
        return written;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>user_similarities rows as parallel arrays, inserted with one unnest.</summary>
    private sealed class PairRows
    {
        private readonly List<long> _users = [];
        private readonly List<long> _similar = [];
        private readonly List<string> _metrics = [];
        private readonly List<double> _scores = [];
        private readonly List<double?> _track = [];
        private readonly List<double?> _album = [];
        private readonly List<double?> _artist = [];
        private readonly List<int> _sharedTracks = [];
        private readonly List<int> _sharedAlbums = [];
        private readonly List<int> _sharedArtists = [];
        private readonly List<int> _ranks = [];

        public void Add(long user, long similar, SimilarityMetric metric, Neighbour n, int rank)
        {
            _users.Add(user);
            _similar.Add(similar);
            _metrics.Add(MetricNames.Of(metric));
            _scores.Add(Clamp(n.Score));
            _track.Add(n.TrackScore is { } t ? Clamp(t) : null);
            _album.Add(n.AlbumScore is { } al ? Clamp(al) : null);
            _artist.Add(n.ArtistScore is { } ar ? Clamp(ar) : null);
            _sharedTracks.Add(n.SharedTracks);
            _sharedAlbums.Add(n.SharedAlbums);
            _sharedArtists.Add(n.SharedArtists);
            _ranks.Add(rank);
        }

        /// <summary>Inserts the rows (filtered by <paramref name="conflict"/>, a WHERE/ON CONFLICT tail over alias p); returns the (user, metric) inserted.</summary>
        public async Task<List<(long User, string Metric)>> InsertAsync(NpgsqlConnection connection, DateTimeOffset computedAt,
            string conflict, CancellationToken ct, int? maxNeighbours = null)
        {
            await using var command = new NpgsqlCommand(
                $"""
                INSERT INTO user_similarities
                    (user_id, similar_user_id, metric, similarity_score, track_score, album_score, artist_score,
                     shared_tracks, shared_albums, shared_artists, shared_items, rank, computed_at)
                SELECT p.user_id, p.similar_user_id, p.metric, p.score, p.track_score, p.album_score, p.artist_score,
                       p.shared_tracks, p.shared_albums, p.shared_artists, p.shared_tracks + p.shared_albums + p.shared_artists,
                       p.rank, $12
                FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::float8[], $5::float8[], $6::float8[], $7::float8[],
                            $8::int[], $9::int[], $10::int[], $11::int[])
                     AS p(user_id, similar_user_id, metric, score, track_score, album_score, artist_score,
                          shared_tracks, shared_albums, shared_artists, rank)
                {conflict}
                RETURNING user_id, metric
                """, connection);
            object[] values =
            [
                _users.ToArray(), _similar.ToArray(), _metrics.ToArray(), _scores.ToArray(), _track.ToArray(), _album.ToArray(),
                _artist.ToArray(), _sharedTracks.ToArray(), _sharedAlbums.ToArray(), _sharedArtists.ToArray(), _ranks.ToArray(),
            ];
            foreach (var value in values)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value });
            }

            command.Parameters.Add(new NpgsqlParameter { Value = computedAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            // $13 (the list length K) is typed: the plain insert does not use it.
            command.Parameters.Add(new NpgsqlParameter { Value = maxNeighbours ?? 0, NpgsqlDbType = NpgsqlDbType.Integer });
            var inserted = new List<(long, string)>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                inserted.Add((reader.GetInt64(0), reader.GetString(1)));
            }

            return inserted;
        }

        // Cosine of identical vectors can come out a few ulps above 1; the schema checks [-1, 1].
        private static double Clamp(double score) => Math.Clamp(score, -1.0, 1.0);
    }
}
