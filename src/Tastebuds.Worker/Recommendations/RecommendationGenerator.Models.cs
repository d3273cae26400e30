using System.Data;
using System.Diagnostics;
using System.Globalization;
using Tastebuds.Core;
using Tastebuds.Core.Models;
using Tastebuds.Worker.Database;
using Tastebuds.Worker.Runs;
using Tastebuds.Worker.Similarity;

namespace Tastebuds.Worker.Recommendations;

public sealed partial class RecommendationGenerator
{
    /// <summary>
    /// A model method (item-knn, rp3beta, als, hybrid): in one read-only snapshot the active users' track interactions (a
    /// liked track counts as a love; the album and artist rows, which no model reads, are not loaded), the tracks' artists and the dismissed/disliked tracks; the model fitted on them
    /// (<see cref="ModelInput"/>, tracks); every user's top list, never a track the user has or rejected, at most
    /// MaxTracksPerArtist per artist, RecommendationsPerUser long, and its explanations, computed in one pass per user
    /// (<see cref="ModelRanking.ExplainedBlocks{T}"/>) block by block while the COPY writes the blocks before
    /// (<see cref="ModelRows"/>), then swapped in. Only this
    /// method's rows are written: the generation replaces every earlier row, user-kNN rows of newcomers included.
    /// </summary>
    private async Task<RecommendationResult> GenerateWithModelAsync(JobStep step, AlgorithmOptions settings, CancellationToken ct)
    {
        var method = settings.Recommender.Trim().ToLowerInvariant();
        step.Describe(new Dictionary<string, object?> { ["method"] = method, ["metrics"] = method });
        var runId = step.RunId;
        var parallelism = settings.MaxDegreeOfParallelism == 0 ? -1 : settings.MaxDegreeOfParallelism;
        var options = settings.ToRecommendationOptions();

        Core.InteractionMatrix matrix;
        Dictionary<long, long> artists;
        IReadOnlyDictionary<int, int[]> excluded;
        SideSignalRows side;
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        await using (var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct))
        {
            matrix = await InteractionLoader.LoadTrackMatrixAsync(connection, settings.ToWeighting(), options.MaxDegreeOfParallelism, ct);
            artists = await CatalogLookup.ArtistOfTracksAsync(connection, matrix, ct);
            excluded = await CatalogLookup.RejectedAsync(connection, matrix, options.Kind, ct);
            side = await SideSignalLoader.LoadAsync(connection, ct);
            await transaction.CommitAsync(ct);
            side = await TagRegistry.RegisterAsync(connection, side, ct);
        }

        var loaded = step.Elapsed;
        var input = new ModelInput(matrix, options.Kind, side.For(matrix, options.Kind));
        var model = RecommenderNames.ModelOf(method, input.Side, parallelism);
        var empty = input.UserCount == 0 || input.ItemCount == 0;
        var trained = empty ? null : model.Fit(input, ct);
        var fitted = step.Elapsed;
        var groups = matrix.ArtistOfTrack(track => artists.TryGetValue(track, out var artist) ? artist : -track);
        var rules = new RankingRules(options.RecommendationsPerUser, groups, options.MaxTracksPerArtist, excluded);

        var generatedAt = StoredTime.Of(time);
        long written;
        TimeSpan scoring;
        int usersServed;
        var components = trained is HybridTrained hybrid ? hybrid.Components.Select(c => c.Name) : [];
        IReadOnlyDictionary<string, short> codes;
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            codes = await MethodCodes.EnsureAsync(connection, components, ct);
        }

        var splits = RecommendationWriter.Splits(matrix, database.Value.WriteConnections);
        if (trained is null)
        {
            written = await RecommendationWriter.ReplaceAsync(dataSource, AsyncEnumerable.Empty<RecommendationRow>(), splits, generatedAt,
                database.Value.CommandTimeout, ct);
            (scoring, usersServed) = (TimeSpan.Zero, 0);
        }
        else
        {
            // Ranked and explained block by block while the COPY writes the blocks before: a failed or cancelled
            // write stops the producer, and the old generation stays.
            await using var rows = ModelRows.Start(trained, rules, codes, parallelism, ct);
            written = await RecommendationWriter.ReplaceAsync(dataSource, rows.ReadAllAsync(ct), splits, generatedAt, database.Value.CommandTimeout, ct);
            (scoring, usersServed) = (rows.Computing, rows.UsersServed);
        }

        // The write overlaps the ranking: compute is the fit and the producer's busy time, write what is left of the stage.
        var compute = fitted - loaded + scoring;
        var result = new RecommendationResult(runId, matrix.UserCount, usersServed, [method], 0, null, 0, written, generatedAt,
            loaded, compute, step.Elapsed - loaded - compute, step.Elapsed) { FitTime = fitted - loaded, ScoreTime = scoring };
        telemetry.RecordRecommendationsWritten(method, written);
        step.Succeed(new LogCompletion(StepStatus.Succeeded)
        {
            ItemsWritten = written,
            Details = new Dictionary<string, object?>
            {
                ["method"] = method,
                ["metrics"] = method,
                ["components"] = trained is HybridTrained h ? Weights(h) : null,
                ["users"] = result.Users,
                ["users_with_recommendations"] = usersServed,
                ["generated_at"] = generatedAt,
                ["load_ms"] = (long)loaded.TotalMilliseconds,
                ["fit_ms"] = (long)(fitted - loaded).TotalMilliseconds,
                ["score_ms"] = (long)scoring.TotalMilliseconds,
                ["compute_ms"] = (long)compute.TotalMilliseconds,
                ["write_ms"] = (long)result.WriteTime.TotalMilliseconds,
            },
        });
        RecommendationsLog.Finished(logger, runId, written, usersServed, result.Users, method, step.Elapsed.TotalSeconds);
        return result;
    }

    /// <summary>The hybrid's tuned weights, "als=0.75,rp3beta=0.5".</summary>
    private static string Weights(HybridTrained hybrid) => string.Join(",",
        hybrid.Components.Select((c, m) => string.Create(CultureInfo.InvariantCulture, $"{c.Name}={hybrid.Tuning.Weights[m]}")));
}
