using Tastebuds.Worker.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Tastebuds.Core;
using Tastebuds.Core.Similarity;
using Tastebuds.Worker.Database;
using Tastebuds.Worker.Runs;

namespace Tastebuds.Worker.Similarity;

/// <summary>
/// One similarity run: the active users' interactions (binary COPY out) → <see cref="InteractionMatrix"/> →
/// <see cref="NeighbourFinder"/> (cosine, Jaccard, Pearson in one pass) → <c>user_similarities</c> replaced whole in
/// one transaction. Logged as one <c>recalculate_similarities</c> row. A failed or cancelled run keeps the previous
/// neighbours. The RecalculateSimilarities job and the <c>similarities</c> verb both call this.
/// </summary>
public sealed class SimilarityRecalculator(
    NpgsqlDataSource dataSource,
    RunLog logs,
    IOptions<AlgorithmOptions> algorithm,
    IOptions<DatabaseOptions> database,
    TastebudsMetrics telemetry,
    TimeProvider time,
    ILogger<SimilarityRecalculator> logger)
{
    public async Task<SimilarityResult> RecalculateAsync(CancellationToken ct)
    {
        using var activity = TastebudsActivity.Source.StartActivity(RunNames.ToSql(JobType.RecalculateSimilarities));
        var settings = algorithm.Value;
        await using var step = await JobStep.StartAsync(logs, telemetry, time, JobType.RecalculateSimilarities, ct);
        var runId = step.RunId;
        SimilarityLog.Started(logger, runId);
        try
        {
            List<Interaction> rows;
            await using (var connection = await dataSource.OpenConnectionAsync(ct))
            {
                rows = await InteractionLoader.LoadAsync(connection, ct);
            }

            var loaded = step.Elapsed;
            var matrix = InteractionMatrix.Build(rows, settings.ToWeighting());
            var neighbours = NeighbourFinder.Compute(matrix, settings.ToSimilarityOptions(), ct);
            var computed = step.Elapsed;

            var computedAt = StoredTime.Of(time);
            long written;
            await using (var connection = await dataSource.OpenConnectionAsync(ct))
            {
                written = await NeighbourWriter.ReplaceAsync(connection, matrix, neighbours, computedAt, database.Value.CommandTimeout, ct);
            }

            var stats = neighbours.Stats;
            var result = new SimilarityResult(runId, matrix.UserCount, rows.Count, stats.PairsEvaluated, stats.CosineNeighbours,
                stats.JaccardNeighbours, stats.PearsonNeighbours, written, computedAt,
                loaded, computed - loaded, step.Elapsed - computed, step.Elapsed);
            telemetry.RecordSimilarityPairs(stats.PairsEvaluated);
            telemetry.RecordSimilarityNeighbours("cosine", stats.CosineNeighbours);
            telemetry.RecordSimilarityNeighbours("jaccard", stats.JaccardNeighbours);
            telemetry.RecordSimilarityNeighbours("pearson", stats.PearsonNeighbours);
            step.Succeed(new LogCompletion(StepStatus.Succeeded)
            {
                ItemsWritten = result.RowsWritten,
                Details = new Dictionary<string, object?>
                {
                    ["users"] = result.Users,
                    ["interactions"] = result.Interactions,
                    ["pairs_evaluated"] = result.PairsEvaluated,
                    ["neighbours"] = new Dictionary<string, long>
                    {
                        ["cosine"] = result.CosineNeighbours,
                        ["jaccard"] = result.JaccardNeighbours,
                        ["pearson"] = result.PearsonNeighbours,
                    },
                    ["computed_at"] = result.ComputedAt,
                    ["load_ms"] = (long)result.LoadTime.TotalMilliseconds,
                    ["compute_ms"] = (long)result.ComputeTime.TotalMilliseconds,
                    ["write_ms"] = (long)result.WriteTime.TotalMilliseconds,
                },
            });
            SimilarityLog.Finished(logger, runId, result.Users, result.PairsEvaluated, written,
                result.CosineNeighbours, result.JaccardNeighbours, result.PearsonNeighbours, step.Elapsed.TotalSeconds);
            return result;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            step.Cancel("cancelled: previous neighbours kept");
            SimilarityLog.Cancelled(logger, runId);
            throw;
        }
        catch (Exception e)
        {
            step.Fail(e.Message);
            SimilarityLog.Failed(logger, runId, e);
            throw;
        }
    }
}

/// <summary>What a similarity run did. <see cref="RowsWritten"/> = the rows <c>user_similarities</c> now holds.</summary>
public sealed record SimilarityResult(
    Guid RunId,
    int Users,
    long Interactions,
    long PairsEvaluated,
    long CosineNeighbours,
    long JaccardNeighbours,
    long PearsonNeighbours,
    long RowsWritten,
    DateTimeOffset ComputedAt,
    TimeSpan LoadTime,
    TimeSpan ComputeTime,
    TimeSpan WriteTime,
    TimeSpan Elapsed);
