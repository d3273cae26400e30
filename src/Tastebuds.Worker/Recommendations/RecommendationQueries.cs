using System.Text.Json;
using Dapper;
using Npgsql;
using Tastebuds.Worker.Similarity;

namespace Tastebuds.Worker.Recommendations;

/// <summary>Read-side queries of the <c>similar</c> and <c>recommend</c> verbs; recommendations go through the public SQL function.</summary>
public sealed class RecommendationQueries(NpgsqlDataSource dataSource)
{
    /// <summary>The stored spelling of a username (case-insensitive), or null when the user is unknown.</summary>
    public async Task<string?> FindUserAsync(string username, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT username FROM lastfm_users WHERE lower(username) = lower(@username)", new { username }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<SimilarUser>> SimilarAsync(string username, string metric, int limit, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<SimilarUser>(new CommandDefinition(
            """
            SELECT s.rank::int AS Rank, v.username AS Username, s.similarity_score::float8 AS Score, s.track_score::float8 AS TrackScore,
                   s.album_score::float8 AS AlbumScore, s.artist_score::float8 AS ArtistScore, s.shared_items::int AS SharedItems
            FROM user_similarities s
            JOIN lastfm_users u ON u.id = s.user_id
            JOIN lastfm_users v ON v.id = s.similar_user_id
            WHERE lower(u.username) = lower(@username) AND s.metric = @metric
            ORDER BY s.rank
            LIMIT @limit
            """, new { username, metric, limit }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary><c>get_collaborative_recommendations(username, limit, metric)</c>; a null metric lets the function choose.</summary>
    public async Task<IReadOnlyList<RecommendedTrack>> RecommendAsync(string username, int limit, string? metric, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand(
            "SELECT rank, track, artist, score, explanation, metric FROM get_collaborative_recommendations($1, $2, $3)", connection)
        {
            Parameters = { new() { Value = username }, new() { Value = limit }, new() { Value = (object?)metric ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text } },
        };
        var rows = new List<RecommendedTrack>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            using var explanation = JsonDocument.Parse(reader.GetString(4));
            var root = explanation.RootElement;
            var supporting = root.TryGetProperty("supporting_neighbours", out var s) ? s.GetInt32() : 0;
            rows.Add(new RecommendedTrack(reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.GetDouble(3),
                supporting, ExplanationText.Reasons(root), reader.GetString(5)));
        }

        return rows;
    }
}

public sealed record SimilarUser(int Rank, string Username, double Score, double? TrackScore, double? AlbumScore, double? ArtistScore, int SharedItems);

public sealed record RecommendedTrack(int Rank, string Track, string Artist, double Score, int SupportingNeighbours,
    IReadOnlyList<string> Reasons, string Metric)
{
    /// <summary>True for the user-kNN methods (cosine, jaccard, pearson): the reasons are neighbours.</summary>
    public bool ByNeighbours => Metric is MetricNames.Cosine or MetricNames.Jaccard or MetricNames.Pearson;
}
