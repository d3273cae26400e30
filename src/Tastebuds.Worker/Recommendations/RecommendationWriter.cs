using Npgsql;
using NpgsqlTypes;
using Tastebuds.Core;
using Tastebuds.Core.Recommendations;
using Tastebuds.Worker.Database;
using Tastebuds.Worker.Similarity;

namespace Tastebuds.Worker.Recommendations;

/// <summary>Writes every metric's recommendations into <c>collaborative_recommendations</c> through staging and a one-transaction swap.</summary>
internal static class RecommendationWriter
{
    private const string Columns =
        "user_id, track_id, metric, recommendation_score, rank, supporting_neighbours, explanation, generated_at";

    public static Task<long> ReplaceAsync(NpgsqlConnection connection, InteractionMatrix matrix, IReadOnlyList<RecommendationSet> sets,
        double popularityWeight, IReadOnlyDictionary<long, string> usernames, DateTimeOffset generatedAt, TimeSpan commandTimeout,
        CancellationToken ct) =>
        StagedTableSwap.ReplaceAsync(connection, "collaborative_recommendations", Columns, async copy =>
        {
            long rows = 0;
            foreach (var set in sets)
            {
                var metric = MetricNames.Of(set.Metric);
                for (var u = 0; u < set.UserCount; u++)
                {
                    foreach (var r in set.For(u))
                    {
                        await copy.StartRowAsync(ct);
                        await copy.WriteAsync(matrix.UserId(u), NpgsqlDbType.Bigint, ct);
                        await copy.WriteAsync(matrix.ItemId(set.Kind, r.Item), NpgsqlDbType.Bigint, ct);
                        await copy.WriteAsync(metric, NpgsqlDbType.Text, ct);
                        await copy.WriteAsync((float)Math.Max(0.0, r.Score), NpgsqlDbType.Real, ct);
                        await copy.WriteAsync((short)r.Rank, NpgsqlDbType.Smallint, ct);
                        await copy.WriteAsync(r.SupportingNeighbours, NpgsqlDbType.Integer, ct);
                        await copy.WriteAsync(Explanation.Write(metric, r, popularityWeight, matrix, usernames), NpgsqlDbType.Jsonb, ct);
                        await copy.WriteAsync(generatedAt, NpgsqlDbType.TimestampTz, ct);
                        rows++;
                    }
                }
            }

            return rows;
        }, commandTimeout, ct);
}
