using Npgsql;
using Tastebuds.Worker.Database;
using NpgsqlTypes;
using Tastebuds.Core;
using Tastebuds.Core.Recommendations;
using Tastebuds.Core.Similarity;
using Tastebuds.Worker.Recommendations;
using Tastebuds.Worker.Similarity;

namespace Tastebuds.Worker.NewUsers;

/// <summary>
/// Writes one newcomer's results inside the caller's transaction: their three neighbour lists, their place in the lists
/// of the users whose top-K they now enter (one set-based statement: the entries below move down a rank, the K-th of a
/// full list is dropped), and their recommendations.
/// </summary>
internal static class NewcomerWriter
{
    /// <summary>
    /// The newcomer's entry into the lists offered (alias p, $13 = K, $12 = computed_at), set-based: per list one probe
    /// along the primary key's (user_id, metric) prefix gives the newcomer's place (1 + the entries that beat it as the
    /// full run orders them: score as stored (real), then lower user id) and the list's length; the lists where that
    /// place is within K are entered: the entries at or below it move down one rank, the K-th of a full list is
    /// dropped, the newcomer is inserted at its place. The three writes touch disjoint rows, so they run as one
    /// statement on one snapshot; a list holding the newcomer already is left alone.
    /// </summary>
    private const string Enter =
        """
        , placed AS (
            SELECT p.*, c.place, c.length
            FROM offered p
            CROSS JOIN LATERAL (
                SELECT 1 + count(*) FILTER (WHERE s.similarity_score > p.score::real
                                            OR (s.similarity_score = p.score::real AND s.similar_user_id < p.similar_user_id)) AS place,
                       count(*) AS length,
                       coalesce(bool_or(s.similar_user_id = p.similar_user_id), false) AS present
                FROM user_similarities s WHERE s.user_id = p.user_id AND s.metric = p.metric) c
            WHERE c.place <= $13 AND NOT c.present),
        shifted AS (
            UPDATE user_similarities s SET rank = s.rank + 1
            FROM placed e
            WHERE s.user_id = e.user_id AND s.metric = e.metric AND s.rank >= e.place AND s.rank < $13),
        dropped AS (
            DELETE FROM user_similarities s USING placed e
            WHERE s.user_id = e.user_id AND s.metric = e.metric AND s.rank >= $13 AND e.length >= $13),
        inserted AS (
            INSERT INTO user_similarities
                (user_id, similar_user_id, metric, similarity_score, track_score, album_score, artist_score,
                 shared_tracks, shared_albums, shared_artists, shared_items, rank, computed_at)
            SELECT e.user_id, e.similar_user_id, e.metric, e.score, e.track_score, e.album_score, e.artist_score,
                   e.shared_tracks, e.shared_albums, e.shared_artists, least(e.shared_tracks + e.shared_albums + e.shared_artists, 32767),
                   e.place, $12
            FROM placed e
            RETURNING user_id, metric)
        SELECT user_id, metric FROM inserted
        """;

    /// <summary>The newcomer's own lists, ranked 1..K.</summary>
    private const string Own =
        """
        INSERT INTO user_similarities
            (user_id, similar_user_id, metric, similarity_score, track_score, album_score, artist_score,
             shared_tracks, shared_albums, shared_artists, shared_items, rank, computed_at)
        SELECT p.user_id, p.similar_user_id, p.metric, p.score, p.track_score, p.album_score, p.artist_score,
               p.shared_tracks, p.shared_albums, p.shared_artists, least(p.shared_tracks + p.shared_albums + p.shared_artists, 32767),
               p.rank, $12
        FROM offered p
        RETURNING user_id, metric
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
        await own.ExecuteAsync(connection, Own, computedAt, maxNeighbours, ct);
        var entered = await offered.ExecuteAsync(connection, Enter, computedAt, maxNeighbours, ct);
        return entered.Count;
    }

    /// <summary>Replaces the newcomer's recommendation rows (compact columns, sql/0009) by binary COPY into the parent.</summary>
    public static async Task<long> WriteRecommendationsAsync(NpgsqlConnection connection, long user, InteractionMatrix matrix,
        IReadOnlyList<(SimilarityMetric Metric, IReadOnlyList<Recommendation> List)> sets, ItemKind kind, double popularityWeight,
        DateTimeOffset generatedAt, CancellationToken ct)
    {
        await ExecuteAsync(connection, "DELETE FROM collaborative_recommendations WHERE user_id = $1", ct, user);
        long written = 0;
        await using var stream = await connection.BeginRawBinaryCopyAsync(
            $"COPY collaborative_recommendations ({RecommendationRow.Columns}) FROM STDIN (FORMAT BINARY)", ct);
        try
        {
            var copy = new BinaryCopyRows(stream);
            foreach (var (metric, list) in sets)
            {
                var name = MetricNames.Of(metric);
                foreach (var r in list)
                {
                    RecommendationRow.Of(name, user, matrix.ItemId(kind, r.Item), r, popularityWeight, matrix).Write(copy, generatedAt);
                    written++;
                }
            }

            copy.Complete();
        }
        catch
        {
            // Ending the COPY would send what was written so far as a complete input: cancel it instead.
            await stream.CancelAsync();
            throw;
        }

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
            _sharedTracks.Add(Count(n.SharedTracks));
            _sharedAlbums.Add(Count(n.SharedAlbums));
            _sharedArtists.Add(Count(n.SharedArtists));
            _ranks.Add(rank);
        }

        /// <summary>Runs <paramref name="statement"/> over the rows as CTE <c>offered</c>; returns the (user, metric) it returns.</summary>
        public async Task<List<(long User, string Metric)>> ExecuteAsync(NpgsqlConnection connection, string statement,
            DateTimeOffset computedAt, int maxNeighbours, CancellationToken ct)
        {
            await using var command = new NpgsqlCommand(
                $"""
                WITH offered AS (
                    SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::float8[], $5::float8[], $6::float8[],
                                         $7::float8[], $8::int[], $9::int[], $10::int[], $11::int[])
                         AS p(user_id, similar_user_id, metric, score, track_score, album_score, artist_score,
                              shared_tracks, shared_albums, shared_artists, rank))
                {statement}
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
            command.Parameters.Add(new NpgsqlParameter { Value = maxNeighbours, NpgsqlDbType = NpgsqlDbType.Integer });
            var inserted = new List<(long, string)>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                inserted.Add((reader.GetInt64(0), reader.GetString(1)));
            }

            return inserted;
        }

        // Shared counts are smallint (sql/0012), saturated at 32,767 like NeighbourWriter's; shared_items (their sum) is
        // saturated in the statements, where it is summed.
        private static int Count(int shared) => Math.Min(shared, short.MaxValue);

        // Cosine of identical vectors can come out a few ulps above 1; the schema checks [-1, 1].
        private static double Clamp(double score) => Math.Clamp(score, -1.0, 1.0);
    }
}
