using Npgsql;
using Tastebuds.Core;
using Tastebuds.Core.Recommendations;
using Tastebuds.Worker.Database;
using Tastebuds.Worker.Similarity;

namespace Tastebuds.Worker.Recommendations;

/// <summary>Writes a run's recommendations into <c>collaborative_recommendations</c> as a new generation, swapped in one transaction.</summary>
internal static class RecommendationWriter
{
    /// <summary>User-kNN: every metric's sets.</summary>
    public static Task<long> ReplaceAsync(NpgsqlConnection connection, InteractionMatrix matrix, IReadOnlyList<RecommendationSet> sets,
        double popularityWeight, DateTimeOffset generatedAt, TimeSpan commandTimeout, CancellationToken ct) =>
        ReplaceAsync(connection, Rows(matrix, sets, popularityWeight), generatedAt, commandTimeout, ct);

    public static Task<long> ReplaceAsync(NpgsqlConnection connection, IEnumerable<RecommendationRow> rows, DateTimeOffset generatedAt,
        TimeSpan commandTimeout, CancellationToken ct) =>
        StagedTableSwap.ReplaceAsync(connection, "collaborative_recommendations", RecommendationRow.Columns, copy =>
        {
            long written = 0;
            foreach (var row in rows)
            {
                ct.ThrowIfCancellationRequested();
                row.Write(copy, generatedAt);
                written++;
            }

            return Task.FromResult(written);
        }, commandTimeout, new SwapSteps(), ct);

    /// <summary>A model's rows as they are produced (<see cref="ModelRows"/>): the COPY drains them while more are computed.</summary>
    public static Task<long> ReplaceAsync(NpgsqlConnection connection, IAsyncEnumerable<RecommendationRow> rows, DateTimeOffset generatedAt,
        TimeSpan commandTimeout, CancellationToken ct) =>
        StagedTableSwap.ReplaceAsync(connection, "collaborative_recommendations", RecommendationRow.Columns, async copy =>
        {
            long written = 0;
            await foreach (var row in rows.WithCancellation(ct))
            {
                row.Write(copy, generatedAt);
                written++;
            }

            return written;
        }, commandTimeout, new SwapSteps(), ct);

    private static IEnumerable<RecommendationRow> Rows(InteractionMatrix matrix, IReadOnlyList<RecommendationSet> sets, double popularityWeight)
    {
        foreach (var set in sets)
        {
            var metric = MetricNames.Of(set.Metric);
            for (var u = 0; u < set.UserCount; u++)
            {
                foreach (var r in set.For(u))
                {
                    yield return RecommendationRow.Of(metric, matrix.UserId(u), matrix.ItemId(set.Kind, r.Item), r, popularityWeight, matrix);
                }
            }
        }
    }
}
