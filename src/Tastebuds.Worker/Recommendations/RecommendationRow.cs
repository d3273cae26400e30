using Npgsql;
using NpgsqlTypes;

namespace Tastebuds.Worker.Recommendations;

/// <summary>
/// One <c>collaborative_recommendations</c> row in its compact stored form (sql/0009), written by binary COPY: into a
/// new generation by the full run, into the parent (the current generation) by the new-user step.
/// </summary>
internal readonly record struct RecommendationRow(long UserId, long TrackId, string Metric, double Score, int Rank, int Supporting,
    double Popularity, Reasons Reasons)
{
    public const string Columns =
        "user_id, track_id, metric, recommendation_score, rank, supporting_neighbours, popularity, "
        + "evidence_kinds, evidence_ids, evidence_weights, evidence_contributions, generated_at";

    public async Task WriteAsync(NpgsqlBinaryImporter copy, DateTimeOffset generatedAt, CancellationToken ct)
    {
        await copy.StartRowAsync(ct);
        await copy.WriteAsync(UserId, NpgsqlDbType.Bigint, ct);
        await copy.WriteAsync(TrackId, NpgsqlDbType.Bigint, ct);
        await copy.WriteAsync(Metric, NpgsqlDbType.Text, ct);
        await copy.WriteAsync((float)Math.Max(0.0, Score), NpgsqlDbType.Real, ct);
        await copy.WriteAsync((short)Rank, NpgsqlDbType.Smallint, ct);
        await copy.WriteAsync((short)Math.Clamp(Supporting, 1, short.MaxValue), NpgsqlDbType.Smallint, ct);
        await copy.WriteAsync((float)Popularity, NpgsqlDbType.Real, ct);
        await copy.WriteAsync(Reasons.Kinds, NpgsqlDbType.Array | NpgsqlDbType.Smallint, ct);
        await copy.WriteAsync(Reasons.Ids, NpgsqlDbType.Array | NpgsqlDbType.Bigint, ct);
        await copy.WriteAsync(Reasons.Weights, NpgsqlDbType.Array | NpgsqlDbType.Real, ct);
        await copy.WriteAsync(Reasons.Contributions, NpgsqlDbType.Array | NpgsqlDbType.Real, ct);
        await copy.WriteAsync(generatedAt, NpgsqlDbType.TimestampTz, ct);
    }

    /// <summary>A user-kNN recommendation of <paramref name="metric"/> (the measure's name).</summary>
    public static RecommendationRow Of(string metric, long userId, long trackId, Core.Recommendations.Recommendation r, double popularityWeight,
        Core.InteractionMatrix matrix) =>
        new(userId, trackId, metric, r.Score, r.Rank, r.SupportingNeighbours, popularityWeight * r.Popularity, Reasons.Of(r, matrix));
}
