using Tastebuds.Worker.Database;

namespace Tastebuds.Worker.Recommendations;

/// <summary>
/// One <c>collaborative_recommendations</c> row in its compact stored form (sql/0009), written by binary COPY (its bytes by
/// <see cref="BinaryCopyRows"/>): into a
/// new generation by the full run, into the parent (the current generation) by the new-user step.
/// </summary>
internal readonly record struct RecommendationRow(long UserId, long TrackId, string Metric, double Score, int Rank, int Supporting,
    double Popularity, Reasons Reasons)
{
    public const string Columns =
        "user_id, track_id, metric, recommendation_score, rank, supporting_neighbours, popularity, "
        + "evidence_kinds, evidence_ids, evidence_weights, evidence_contributions, generated_at";

    public void Write(BinaryCopyRows copy, DateTimeOffset generatedAt)
    {
        copy.StartRow(12);
        copy.Bigint(UserId);
        copy.Bigint(TrackId);
        copy.Text(Metric);
        copy.Float4((float)Math.Max(0.0, Score));
        copy.Int2((short)Rank);
        copy.Int2((short)Math.Clamp(Supporting, 1, short.MaxValue));
        copy.Float4((float)Popularity);
        copy.Int2Array(Reasons.Kinds);
        copy.Int8Array(Reasons.Ids);
        copy.Float4Array(Reasons.Weights);
        copy.Float4Array(Reasons.Contributions);
        copy.TimestampTz(generatedAt);
    }

    /// <summary>A user-kNN recommendation of <paramref name="metric"/> (the measure's name).</summary>
    public static RecommendationRow Of(string metric, long userId, long trackId, Core.Recommendations.Recommendation r, double popularityWeight,
        Core.InteractionMatrix matrix) =>
        new(userId, trackId, metric, r.Score, r.Rank, r.SupportingNeighbours, popularityWeight * r.Popularity, Reasons.Of(r, matrix));
}
