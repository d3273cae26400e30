using Npgsql;
using Tastebuds.Core;
using Tastebuds.Core.Recommendations;
using Tastebuds.Worker.Database;
using Tastebuds.Worker.Similarity;

namespace Tastebuds.Worker.Recommendations;

/// <summary>Writes a run's recommendations into <c>collaborative_recommendations</c> as a new generation, swapped in one transaction.</summary>
internal static class RecommendationWriter
{
    /// <summary>User-kNN: every metric's sets, each row into the part of its user.</summary>
    public static Task<long> ReplaceAsync(NpgsqlDataSource dataSource, InteractionMatrix matrix, IReadOnlyList<RecommendationSet> sets,
        double popularityWeight, DateTimeOffset generatedAt, TimeSpan commandTimeout, int connections, CancellationToken ct) =>
        StagedTableSwap.ReplaceAsync(dataSource, Table, RecommendationRow.Columns, Splits(matrix, connections), parts =>
        {
            long written = 0;
            foreach (var row in Rows(matrix, sets, popularityWeight))
            {
                ct.ThrowIfCancellationRequested();
                row.Write(parts[parts.PartOf(row.UserId)], generatedAt);
                written++;
            }

            return Task.FromResult(written);
        }, commandTimeout, new SwapSteps(), ct);

    /// <summary>
    /// A model's rows as they are produced (<see cref="ModelRows"/>), in user order: the COPY drains them while more are
    /// computed, and each part is completed (its keys built) as soon as the rows have passed it.
    /// </summary>
    /// <param name="splits">Where each part after the first begins (<see cref="Splits"/>).</param>
    public static Task<long> ReplaceAsync(NpgsqlDataSource dataSource, IAsyncEnumerable<RecommendationRow> rows, IReadOnlyList<long> splits,
        DateTimeOffset generatedAt, TimeSpan commandTimeout, CancellationToken ct) =>
        ReplaceAsync(dataSource, rows, splits, generatedAt, commandTimeout, new SwapSteps(), ct);

    /// <param name="steps">Filled with the time each step of the swap took.</param>
    public static Task<long> ReplaceAsync(NpgsqlDataSource dataSource, IAsyncEnumerable<RecommendationRow> rows, IReadOnlyList<long> splits,
        DateTimeOffset generatedAt, TimeSpan commandTimeout, SwapSteps steps, CancellationToken ct) =>
        StagedTableSwap.ReplaceAsync(dataSource, Table, RecommendationRow.Columns, splits, async parts =>
        {
            long written = 0;
            var current = 0;
            await foreach (var row in rows.WithCancellation(ct))
            {
                var part = parts.PartOf(row.UserId);
                if (part < current)
                {
                    throw new InvalidOperationException($"The rows must come in user order: user {row.UserId} after part {current} was completed.");
                }

                for (; current < part; current++)
                {
                    parts.Complete(current);
                }

                row.Write(parts[part], generatedAt);
                written++;
            }

            return written;
        }, commandTimeout, steps, ct);

    /// <summary>The user ids where each of <paramref name="connections"/> parts of about as many users begins (after the first).</summary>
    public static long[] Splits(InteractionMatrix matrix, int connections)
    {
        var ids = Enumerable.Range(0, matrix.UserCount).Select(matrix.UserId).Order().ToArray();
        return [.. GenerationParts.Balanced(ids.Length, _ => 1, connections).Skip(1).Select(r => ids[r.Start.Value])];
    }

    private const string Table = "collaborative_recommendations";

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
