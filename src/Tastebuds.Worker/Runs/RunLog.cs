using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;
using Tastebuds.Worker.Configuration;
using Tastebuds.Worker.Database;
using Tastebuds.Worker.Hosting;

namespace Tastebuds.Worker.Runs;

/// <summary>
/// Rows of <c>data_fetch_logs</c>: inserted <c>running</c> when a step starts, completed when it ends. Completion
/// is written even when the step was cancelled (with its own short timeout), so no row is left <c>running</c>
/// by a process that lived to see the end of its work.
/// </summary>
public sealed class RunLog(NpgsqlDataSource dataSource, ILogger<RunLog> logger)
{
    private static readonly TimeSpan CompletionTimeout = TimeSpan.FromSeconds(15);
    private static readonly string Running = RunNames.ToSql(StepStatus.Running);

    /// <summary>
    /// Marks <c>abandoned</c> the rows left <c>running</c> by processes that are gone (<see cref="ProcessInstance.IsGone"/>);
    /// <paramref name="otherMachineGone"/> decides for rows of other machines, given their instance id (or host for
    /// rows written before instance ids). Returns the number of rows marked.
    /// </summary>
    public async Task<int> MarkAbandonedAsync(Func<string, bool> otherMachineGone, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var running = await connection.QueryAsync<(long Id, string? Host, string? Instance, DateTime? InstanceStartedAt)>(new CommandDefinition(
            "SELECT id, host, instance_id, instance_started_at FROM data_fetch_logs WHERE status = @running", new { running = Running }, cancellationToken: ct));
        var gone = running.Where(r => ProcessInstance.IsGone(r.Host, r.Instance, StoredTime.Utc(r.InstanceStartedAt), otherMachineGone))
            .Select(r => r.Id).ToArray();
        if (gone.Length == 0)
        {
            return 0;
        }

        return await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE data_fetch_logs
               SET status = @abandoned, finished_at = clock_timestamp(),
                   duration_ms = greatest(0, (extract(epoch FROM clock_timestamp() - started_at) * 1000)::bigint),
                   error_message = coalesce(error_message, 'the process running this step ended without finishing it')
             WHERE id = ANY(@gone) AND status = @running
            """, new { gone, running = Running, abandoned = RunNames.ToSql(StepStatus.Abandoned) }, cancellationToken: ct));
    }

    public async Task<long> StartAsync(Guid runId, JobType jobType, string? username, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO data_fetch_logs (run_id, job_type, username, status, host, instance_id, instance_started_at)
            VALUES (@runId, @jobType, @username, @running, @host, @instance, @instanceStartedAt)
            RETURNING id
            """,
            new { runId, jobType = RunNames.ToSql(jobType), username, running = Running, host = ProcessInstance.Host, instance = ProcessInstance.Id, instanceStartedAt = ProcessInstance.StartedAt },
            cancellationToken: ct));
    }

    public async Task CompleteAsync(long id, LogCompletion completion)
    {
        using var timeout = new CancellationTokenSource(CompletionTimeout);
        await using var connection = await dataSource.OpenConnectionAsync(timeout.Token);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE data_fetch_logs
               SET status = @Status,
                   finished_at = clock_timestamp(),
                   duration_ms = greatest(0, (extract(epoch FROM clock_timestamp() - started_at) * 1000)::bigint),
                   user_id = coalesce(@UserId, user_id),
                   tracks_fetched = @TracksFetched, albums_fetched = @AlbumsFetched, artists_fetched = @ArtistsFetched,
                   loved_tracks_fetched = @LovedTracksFetched, tags_fetched = @TagsFetched,
                   requests_made = @RequestsMade, retries = @Retries, items_written = @ItemsWritten,
                   error_code = @ErrorCode, error_message = @ErrorMessage,
                   details = CAST(@Details AS jsonb)
             WHERE id = @Id
            """,
            new
            {
                Id = id,
                Status = RunNames.ToSql(completion.Status),
                completion.UserId,
                completion.TracksFetched,
                completion.AlbumsFetched,
                completion.ArtistsFetched,
                completion.LovedTracksFetched,
                completion.TagsFetched,
                completion.RequestsMade,
                completion.Retries,
                completion.ItemsWritten,
                completion.ErrorCode,
                ErrorMessage = Truncate(Secrets.RedactOrNull(completion.ErrorMessage)),
                Details = JsonSerializer.Serialize(completion.Details ?? new Dictionary<string, object?>()),
            },
            cancellationToken: timeout.Token));
    }

    /// <summary>
    /// <see cref="CompleteAsync"/>, but a database that is gone is logged, not thrown: the step's own outcome (or
    /// exception) matters more than its log row, which the next start marks abandoned.
    /// </summary>
    public async Task TryCompleteAsync(long id, LogCompletion completion)
    {
        try
        {
            await CompleteAsync(id, completion);
        }
        catch (Exception e) when (DatabaseOutage.IsTransient(e) || e is OperationCanceledException)
        {
            DatabaseLog.LogCompletionLost(logger, id, RunNames.ToSql(completion.Status), e.Message);
        }
    }

    private static string? Truncate(string? message) =>
        message is { Length: > 2000 } ? message[..2000] + "…" : message;
}
