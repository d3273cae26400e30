using System.Data;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Tastebuds.Core;
using Tastebuds.Core.Recommendations;
using Tastebuds.Worker.Database;
using Tastebuds.Worker.Runs;
using Tastebuds.Worker.Similarity;
using Tastebuds.Worker.Telemetry;

namespace Tastebuds.Worker.Recommendations;

/// <summary>
/// One recommendation run of <c>Algorithm:Recommender</c>. For <c>userknn</c>: in one read-only snapshot the active users' interactions, the STORED neighbours of
/// <c>Algorithm:PrimaryMetric</c> (all three for <c>all</c>), and track artists; then Core's
/// <see cref="Recommender"/> per metric; then <c>collaborative_recommendations</c> replaced whole in one transaction.
/// For a model method, see <see cref="GenerateWithModelAsync"/>.
/// Logged as one <c>generate_recommendations</c> row; a failed or cancelled run keeps the previous recommendations.
/// The GenerateRecommendations job and the <c>recommendations</c> verb both call this.
/// </summary>
public sealed partial class RecommendationGenerator(
    NpgsqlDataSource dataSource,
    StageRun stage,
    IOptions<AlgorithmOptions> algorithm,
    IOptions<DatabaseOptions> database,
    TastebudsMetrics telemetry,
    TimeProvider time,
    ILogger<RecommendationGenerator> logger)
{
    public Task<RecommendationResult> GenerateAsync(CancellationToken ct) =>
        stage.RunAsync(JobType.GenerateRecommendations, RecommendationsLog.Events(logger), GenerateAsync, ct);

    private async Task<RecommendationResult> GenerateAsync(JobStep step, CancellationToken ct)
    {
        var settings = algorithm.Value;
        if (!settings.UsesNeighbours)
        {
            return await GenerateWithModelAsync(step, settings, ct);
        }

        var metrics = settings.RecommendationMetrics();
        var metricNames = string.Join(",", metrics.Select(MetricNames.Of));
        // Kept by the row even when the run fails: which metrics it was for.
        step.Describe(new Dictionary<string, object?> { ["metrics"] = metricNames });
        var runId = step.RunId;
        var input = await ReadInputAsync(metrics, settings, ct);
        var loaded = step.Elapsed;
        if (input.Neighbours.Stats.NeighboursKept == 0)
        {
            RecommendationsLog.NoNeighbours(logger, runId, metricNames);
        }

        var options = settings.ToRecommendationOptions();
        var artistOfTrack = input.Matrix.ArtistOfTrack(track => input.Artists.TryGetValue(track, out var artist) ? artist : -track);
        var sets = metrics.Select(m => Recommender.Recommend(input.Matrix, input.Neighbours, m, options, artistOfTrack, input.Excluded, ct)).ToList();
        var computed = step.Elapsed;

        var generatedAt = StoredTime.Of(time);
        var written = await RecommendationWriter.ReplaceAsync(dataSource, input.Matrix, sets, options.PopularityWeight,
            generatedAt, database.Value.CommandTimeout, database.Value.WriteConnections, ct);

        var usersServed = Enumerable.Range(0, input.Matrix.UserCount).Count(u => sets.Any(s => s.For(u).Count > 0));
        var result = new RecommendationResult(runId, input.Matrix.UserCount, usersServed, metrics.Select(MetricNames.Of).ToArray(),
            input.Neighbours.Stats.NeighboursKept, input.NeighboursComputedAt, input.SkippedNeighbours, written, generatedAt,
            loaded, computed - loaded, step.Elapsed - computed, step.Elapsed);
        for (var i = 0; i < metrics.Count; i++)
        {
            var set = sets[i];
            telemetry.RecordRecommendationsWritten(MetricNames.Of(metrics[i]),
                Enumerable.Range(0, input.Matrix.UserCount).Sum(u => (long)set.For(u).Count));
        }

        step.Succeed(new LogCompletion(StepStatus.Succeeded)
        {
            ItemsWritten = result.RowsWritten,
            Details = new Dictionary<string, object?>
            {
                ["metrics"] = metricNames,
                ["users"] = result.Users,
                ["users_with_recommendations"] = result.UsersWithRecommendations,
                ["neighbours_used"] = result.NeighboursUsed,
                ["neighbours_skipped"] = result.NeighboursSkipped,
                ["neighbours_computed_at"] = result.NeighboursComputedAt,
                ["generated_at"] = result.GeneratedAt,
                ["load_ms"] = (long)result.LoadTime.TotalMilliseconds,
                ["compute_ms"] = (long)result.ComputeTime.TotalMilliseconds,
                ["write_ms"] = (long)result.WriteTime.TotalMilliseconds,
            },
        });
        RecommendationsLog.Finished(logger, runId, written, usersServed, result.Users, metricNames, step.Elapsed.TotalSeconds);
        return result;
    }

    /// <summary>Everything read in ONE repeatable-read snapshot, so neighbours and interactions describe the same moment.</summary>
    private async Task<Input> ReadInputAsync(IReadOnlyList<SimilarityMetric> metrics, AlgorithmOptions settings, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        var options = settings.ToRecommendationOptions();
        var (matrix, _) = await InteractionLoader.LoadMatrixAsync(connection, settings.ToWeighting(), options.MaxDegreeOfParallelism, ct);
        var (neighbours, computedAt, skipped) = await StoredNeighbourReader.ReadAsync(connection, matrix, metrics, ct);
        var artists = await CatalogLookup.ArtistOfTracksAsync(connection, matrix, ct);
        var excluded = await CatalogLookup.RejectedAsync(connection, matrix, options.Kind, ct);
        await transaction.CommitAsync(ct);
        return new Input(matrix, neighbours, computedAt, skipped, artists, excluded);
    }

    private sealed record Input(
        InteractionMatrix Matrix,
        Core.Similarity.NeighbourSet Neighbours,
        DateTimeOffset? NeighboursComputedAt,
        int SkippedNeighbours,
        Dictionary<long, long> Artists,
        IReadOnlyDictionary<int, int[]> Excluded);
}
