using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Tastebuds.Core;
using Tastebuds.Core.Recommendations;
using Tastebuds.Core.Similarity;
using Tastebuds.Worker.Database;
using Tastebuds.Worker.Runs;
using Tastebuds.Worker.Similarity;
using Tastebuds.Worker.Telemetry;

namespace Tastebuds.Worker.NewUsers;

/// <summary>
/// The incremental step: one new user's neighbours and recommendations without a full recalculation. The newcomer is
/// scored against the stored users holding one of their items, through the inverted index (<see cref="NewcomerNeighbours"/>);
/// with <c>Algorithm:MaxHoldersPerItem</c> only a window of a popular item's holders is read and a shortlist rescored
/// exactly (<see cref="NewcomerShortlist"/>), so the work stays bounded whatever the number of users. Their three
/// neighbour lists, their entries in the lists they now enter, and their recommendations are written in ONE
/// transaction, under the <see cref="ResultsLock"/>. Without a capped item the result equals what the next full run
/// gives for them (tests/…/NewUsers/IncrementalEqualsFullTests); with one, every score is still exact (BoundedSearchTests). One <c>serve_new_user</c> row per user in data_fetch_logs.
/// </summary>
public sealed class NewUserServer(
    NpgsqlDataSource dataSource,
    RunLog logs,
    TastebudsMetrics telemetry,
    IOptions<AlgorithmOptions> algorithm,
    TimeProvider time,
    ILogger<NewUserServer> logger)
{
    /// <summary>Serves each user in turn; null when a full stage holds the results lock (the next poll tries again).</summary>
    public async Task<IReadOnlyList<NewUserResult>?> ServeAsync(IReadOnlyList<NewUser> users, CancellationToken ct)
    {
        await using var held = await ResultsLock.TryAcquireAsync(dataSource, ct);
        if (held is null)
        {
            NewUsersLog.ResultsBusy(logger, users.Count);
            return null;
        }

        var results = new List<NewUserResult>(users.Count);
        foreach (var user in users)
        {
            results.Add(await ServeOneAsync(user, ct));
        }

        return results;
    }

    private async Task<NewUserResult> ServeOneAsync(NewUser user, CancellationToken ct)
    {
        var runId = Guid.NewGuid();
        var logId = await logs.StartAsync(runId, JobType.ServeNewUser, user.Username, ct);
        var clock = Stopwatch.StartNew();
        try
        {
            var result = await ComputeAndWriteAsync(user, runId, ct);
            await logs.CompleteAsync(logId, new LogCompletion(StepStatus.Succeeded)
            {
                UserId = user.Id,
                ItemsWritten = result.NeighbourRows + result.RecommendationRows,
                Details = new Dictionary<string, object?>
                {
                    ["candidates"] = result.UsersSharing,
                    ["shortlisted"] = result.Shortlisted,
                    ["neighbours"] = result.NeighbourRows,
                    ["lists_entered"] = result.ListsEntered,
                    ["recommendations"] = result.RecommendationRows,
                    ["read_ms"] = (long)result.ReadTime.TotalMilliseconds,
                    ["compute_ms"] = (long)result.ComputeTime.TotalMilliseconds,
                    ["write_ms"] = (long)result.WriteTime.TotalMilliseconds,
                    ["latency_ms"] = (long)result.Latency.TotalMilliseconds,
                },
            });
            telemetry.RecordNewUserServed(StepStatus.Succeeded);
            NewUsersLog.Served(logger, user.Username, result.NeighbourRows, result.ListsEntered, result.RecommendationRows,
                clock.Elapsed.TotalSeconds, result.Latency.TotalSeconds);
            return result;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await logs.TryCompleteAsync(logId, new LogCompletion(StepStatus.Cancelled)
            {
                UserId = user.Id,
                ErrorMessage = "cancelled: the next poll serves this user",
            });
            throw;
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or ArgumentException)
        {
            await logs.TryCompleteAsync(logId, new LogCompletion(StepStatus.Failed) { UserId = user.Id, ErrorMessage = e.Message });
            telemetry.RecordNewUserServed(StepStatus.Failed);
            NewUsersLog.Failed(logger, user.Username, e);
            throw;
        }
    }

    private async Task<NewUserResult> ComputeAndWriteAsync(NewUser user, Guid runId, CancellationToken ct)
    {
        var settings = algorithm.Value;
        var weighting = settings.ToWeighting();
        var similarity = settings.ToSimilarityOptions();
        var options = settings.ToRecommendationOptions();
        var clock = Stopwatch.StartNew();

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // Many small index probes whose estimated cost passes jit_above_cost: compiling them costs more than it saves.
        await using (var noJit = new NpgsqlCommand("SET LOCAL jit = off", connection))
        {
            await noJit.ExecuteNonQueryAsync(ct);
        }

        var own = await NewcomerReader.SignalsAsync(connection, [user.Id], ct);
        var target = NewcomerReader.Target(own, weighting);
        var read = await NewcomerReader.HoldersAsync(connection, user.Id, target, weighting, similarity.MaxHoldersPerItem, ct);
        var holders = read.Holders;
        var candidates = holders.SelectMany(h => h).Select(h => h.User).Distinct().ToArray();
        var summaries = await NewcomerReader.SummariesAsync(connection, candidates, weighting, ct);
        VectorSummary SummaryOf(long v, ItemKind kind) => summaries.TryGetValue(v, out var perKind) ? perKind[(int)kind] : default;
        var shortlisted = (int?)null;
        var readTime = clock.Elapsed;
        var computeTime = TimeSpan.Zero;
        if (read.Pruned)
        {
            // A popular item's holders were read in part: shortlist on the partial sums, then read the shortlist's rows
            // for the newcomer's items in full, so every score below is exact (the full run's pruned search, step 2-3).
            var shortlist = NewcomerShortlist.Of(target, holders, SummaryOf, similarity);
            shortlisted = shortlist.Length;
            var split = clock.Elapsed;
            holders = await NewcomerReader.HoldersAmongAsync(connection, shortlist, target, weighting, ct);
            computeTime = split - readTime;
            readTime += clock.Elapsed - split;
        }

        var beforeScores = clock.Elapsed;
        var scores = NewcomerNeighbours.Compute(target, holders, SummaryOf, similarity);
        var metrics = settings.RecommendationMetrics();
        var neighbourIds = metrics.SelectMany(m => scores.Top(m)).Select(scores.UserId).Distinct().ToArray();
        var recommendations = await NewcomerRecommendations.ComputeAsync(connection, user.Id, own, scores, metrics, neighbourIds,
            weighting, options, ct);
        var computed = clock.Elapsed;
        computeTime += computed - beforeScores;

        var now = StoredTime.Of(time);
        var entered = await NewcomerWriter.WriteNeighboursAsync(connection, user.Id, scores, similarity.MaxSimilarUsers, now, ct);
        var recommendationRows = await NewcomerWriter.WriteRecommendationsAsync(connection, user.Id, recommendations.Matrix,
            recommendations.Sets, options.Kind, options.PopularityWeight, now, ct);
        var fetchedAt = await LastFetchedAsync(connection, user.Id, ct);
        await transaction.CommitAsync(ct);
        var written = clock.Elapsed;
        var latency = fetchedAt is { } at ? time.GetUtcNow() - at : TimeSpan.Zero;

        var neighbourRows = Enum.GetValues<SimilarityMetric>().Sum(m => (long)scores.Top(m).Count);
        return new NewUserResult(runId, user.Username, candidates.Length, neighbourRows, entered, recommendationRows,
            readTime, computeTime, written - computed, latency) { Shortlisted = shortlisted };
    }

    private static async Task<DateTimeOffset?> LastFetchedAsync(NpgsqlConnection connection, long user, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT last_fetched_at FROM lastfm_users WHERE id = $1", connection)
        {
            Parameters = { new() { Value = user } },
        };
        return StoredTime.Utc(await command.ExecuteScalarAsync(ct) as DateTime?);
    }
}

public sealed record NewUserResult(
    Guid RunId,
    string Username,
    int UsersSharing,
    long NeighbourRows,
    int ListsEntered,
    long RecommendationRows,
    TimeSpan ReadTime,
    TimeSpan ComputeTime,
    TimeSpan WriteTime,
    TimeSpan Latency)
{
    /// <summary>After a capped read (<c>Algorithm:MaxHoldersPerItem</c>), the users rescored exactly; null when the read was whole.</summary>
    public int? Shortlisted { get; init; }
}
