using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Tastebuds.Core;
using Tastebuds.Core.Similarity;
using Tastebuds.Worker.Database;
using Tastebuds.Worker.Runs;
using Tastebuds.Worker.Telemetry;

namespace Tastebuds.Worker.Similarity;

/// <summary>
/// One similarity run: the active users' interactions (binary COPY out) → <see cref="InteractionMatrix"/> →
/// <see cref="NeighbourFinder"/> (cosine, Jaccard, Pearson in one pass) → <c>user_similarities</c> replaced whole in
/// one transaction. Logged as one <c>recalculate_similarities</c> row. A failed or cancelled run keeps the previous
/// neighbours. The RecalculateSimilarities job and the <c>similarities</c> verb both call this.
/// </summary>
public sealed class SimilarityRecalculator(
    NpgsqlDataSource dataSource,
    StageRun stage,
    IOptions<AlgorithmOptions> algorithm,
    IOptions<DatabaseOptions> database,
    TastebudsMetrics telemetry,
    TimeProvider time,
    ILogger<SimilarityRecalculator> logger)
{
    public Task<SimilarityResult> RecalculateAsync(CancellationToken ct) =>
        stage.RunAsync(JobType.RecalculateSimilarities, SimilarityLog.Events(logger), RecalculateAsync, ct);

    private async Task<SimilarityResult> RecalculateAsync(JobStep step, CancellationToken ct)
    {
        var settings = algorithm.Value;
        var options = settings.ToSimilarityOptions();
        InteractionMatrix matrix;
        long interactions;
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            (matrix, interactions) = await InteractionLoader.LoadMatrixAsync(connection, settings.ToWeighting(), options.MaxDegreeOfParallelism, ct);
        }

        var loaded = step.Elapsed;
        var neighbours = NeighbourFinder.Compute(matrix, options, ct);
        var computed = step.Elapsed;

        var computedAt = StoredTime.Of(time);
        long written;
        var writeSteps = new SwapSteps();
        written = await NeighbourWriter.ReplaceAsync(dataSource, matrix, neighbours, computedAt, database.Value.CommandTimeout,
            database.Value.WriteConnections, writeSteps, ct);

        var stats = neighbours.Stats;
        var result = new SimilarityResult(step.RunId, matrix.UserCount, interactions, stats.PairsEvaluated, stats.CosineNeighbours,
            stats.JaccardNeighbours, stats.PearsonNeighbours, written, computedAt,
            loaded, computed - loaded, step.Elapsed - computed, step.Elapsed);
        telemetry.RecordSimilarityPairs(stats.PairsEvaluated);
        telemetry.RecordSimilarityNeighbours(MetricNames.Cosine, stats.CosineNeighbours);
        telemetry.RecordSimilarityNeighbours(MetricNames.Jaccard, stats.JaccardNeighbours);
        telemetry.RecordSimilarityNeighbours(MetricNames.Pearson, stats.PearsonNeighbours);
        step.Succeed(new LogCompletion(StepStatus.Succeeded)
        {
            ItemsWritten = result.RowsWritten,
            Details = new Dictionary<string, object?>
            {
                ["users"] = result.Users,
                ["interactions"] = result.Interactions,
                ["pairs_evaluated"] = result.PairsEvaluated,
                ["accumulation_steps"] = stats.AccumulationSteps,
                ["neighbours"] = new Dictionary<string, long>
                {
                    [MetricNames.Cosine] = result.CosineNeighbours,
                    [MetricNames.Jaccard] = result.JaccardNeighbours,
                    [MetricNames.Pearson] = result.PearsonNeighbours,
                },
                ["computed_at"] = result.ComputedAt,
                ["load_ms"] = (long)result.LoadTime.TotalMilliseconds,
                ["compute_ms"] = (long)result.ComputeTime.TotalMilliseconds,
                ["write_ms"] = (long)result.WriteTime.TotalMilliseconds,
                ["write_steps_ms"] = writeSteps.ToDetails(),
                ["search_phases_ms"] = PhaseDetails(stats.Phases),
            },
        });
        SimilarityLog.Finished(logger, step.RunId, result.Users, result.PairsEvaluated, written,
            result.CosineNeighbours, result.JaccardNeighbours, result.PearsonNeighbours, step.Elapsed.TotalSeconds);
        return result;
    }

    /// <summary>
    /// The search's preparation (wall clock) and its thread time per phase summed over the workers (up to cores × wall):
    /// where the compute went, in data_fetch_logs.
    /// </summary>
    private static Dictionary<string, long> PhaseDetails(NeighbourPhases phases) => new()
    {
        ["prepare"] = (long)phases.Prepare.TotalMilliseconds,
        ["accumulate"] = (long)phases.Accumulate.TotalMilliseconds,
        ["shortlist"] = (long)phases.Shortlist.TotalMilliseconds,
        ["rescore"] = (long)phases.Rescore.TotalMilliseconds,
        ["select"] = (long)phases.Select.TotalMilliseconds,
    };
}
