using Dapper;
using Npgsql;
using Tastebuds.Worker.Runs;

namespace Tastebuds.Worker.Cli;

/// <summary>The read-only queries behind <c>status</c>: the last run of each job, per-user counts, and each user's last fetch.</summary>
internal static class StatusQueries
{
    /// <summary>The latest row of each job type in data_fetch_logs (running ones included).</summary>
    public static async Task<IReadOnlyList<JobRun>> LastRunsAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<JobRun>(new CommandDefinition(
            """
            SELECT DISTINCT ON (job_type)
                   job_type AS Job, status AS Status, started_at AS StartedAt, duration_ms AS DurationMs, username AS Username,
                   tracks_fetched AS Tracks, albums_fetched AS Albums, artists_fetched AS Artists, requests_made AS Requests,
                   retries AS Retries, items_written AS ItemsWritten, error_code AS ErrorCode, error_message AS ErrorMessage,
                   details::text AS Details, host AS Host, instance_id AS InstanceId, instance_started_at AS InstanceStartedAt
            FROM data_fetch_logs
            ORDER BY job_type, started_at DESC, id DESC
            """, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>The view user_listening_stats, most plays first; and how many users it has in all.</summary>
    public static async Task<(IReadOnlyList<UserStats> Top, long Total)> UserStatsAsync(NpgsqlDataSource dataSource, int limit, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM user_listening_stats", cancellationToken: ct));
        var rows = await connection.QueryAsync<UserStats>(new CommandDefinition(
            """
            SELECT username AS Username, is_active AS IsActive, last_fetched_at AS LastFetchedAt, total_playcount AS Plays,
                   tracks_count AS Tracks, loved_tracks_count AS Loved, albums_count AS Albums, artists_count AS Artists,
                   neighbours_count AS Neighbours, recommendations_count AS Recommendations
            FROM user_listening_stats
            ORDER BY total_playcount DESC, lower(username)
            LIMIT @limit
            """, new { limit }, cancellationToken: ct));
        return (rows.AsList(), total);
    }

    /// <summary>
    /// The users worth checking: the ones the next fetch would fetch (<paramref name="configured"/>: Lastfm:Users plus the
    /// active rows of lastfm_users) and the ones the last fetch_users run tried; with each one's last finished fetch_user
    /// row and last successful fetch.
    /// </summary>
    public static async Task<IReadOnlyList<UserFetchState>> UserFetchStatesAsync(
        NpgsqlDataSource dataSource, IReadOnlyList<string> configured, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<UserFetchState>(new CommandDefinition(
            """
            WITH last_run AS (
                SELECT run_id FROM data_fetch_logs WHERE job_type = @fetchUsers ORDER BY started_at DESC, id DESC LIMIT 1
            ), names AS (
                SELECT DISTINCT ON (lower(name)) name
                FROM (SELECT unnest(@configured::text[]) AS name
                      UNION ALL
                      SELECT l.username FROM data_fetch_logs l JOIN last_run r ON r.run_id = l.run_id
                      WHERE l.job_type = @fetchUser AND l.username IS NOT NULL) all_names
                ORDER BY lower(name), name
            )
            SELECT n.name AS Username, u.last_fetched_at AS LastFetchedAt,
                   f.status AS LastStatus, f.started_at AS LastAttemptAt, f.error_code AS ErrorCode, f.error_message AS ErrorMessage
            FROM names n
            LEFT JOIN LATERAL (SELECT last_fetched_at FROM lastfm_users WHERE lower(username) = lower(n.name)
                               ORDER BY last_fetched_at DESC NULLS LAST LIMIT 1) u ON true
            LEFT JOIN LATERAL (SELECT status, started_at, error_code, error_message FROM data_fetch_logs
                               WHERE job_type = @fetchUser AND lower(username) = lower(n.name) AND status <> @running
                               ORDER BY started_at DESC, id DESC LIMIT 1) f ON true
            ORDER BY lower(n.name)
            """,
            new
            {
                configured = configured.ToArray(),
                fetchUsers = RunNames.ToSql(JobType.FetchUsers),
                fetchUser = RunNames.ToSql(JobType.FetchUser),
                running = RunNames.ToSql(StepStatus.Running),
            },
            cancellationToken: ct));
        return rows.AsList();
    }
}

internal sealed record JobRun
{
    public required string Job { get; init; }
    public required string Status { get; init; }
    public DateTime StartedAt { get; init; }
    public long? DurationMs { get; init; }
    public string? Username { get; init; }
    public int Tracks { get; init; }
    public int Albums { get; init; }
    public int Artists { get; init; }
    public int Requests { get; init; }
    public int Retries { get; init; }
    public long ItemsWritten { get; init; }
    public int? ErrorCode { get; init; }
    public string? ErrorMessage { get; init; }
    public string Details { get; init; } = "{}";
    public string? Host { get; init; }
    public string? InstanceId { get; init; }
    public DateTime? InstanceStartedAt { get; init; }

    /// <summary>
    /// True for a row still <c>running</c> whose process on this machine is gone (killed before it could finish):
    /// shown as abandoned, as the next daemon start or writing verb will mark it. Rows of other machines are left as they are.
    /// </summary>
    public bool IsAbandoned => Status == RunNames.ToSql(StepStatus.Running)
        && Hosting.ProcessInstance.IsGone(Host, InstanceId, Database.StoredTime.Utc(InstanceStartedAt), _ => false);
}

internal sealed record UserStats
{
    public required string Username { get; init; }
    public bool IsActive { get; init; }
    public DateTime? LastFetchedAt { get; init; }
    public long Plays { get; init; }
    public long Tracks { get; init; }
    public long Loved { get; init; }
    public long Albums { get; init; }
    public long Artists { get; init; }
    public long Neighbours { get; init; }
    public long Recommendations { get; init; }
}

internal sealed record UserFetchState
{
    public required string Username { get; init; }
    public DateTime? LastFetchedAt { get; init; }
    public string? LastStatus { get; init; }
    public DateTime? LastAttemptAt { get; init; }
    public int? ErrorCode { get; init; }
    public string? ErrorMessage { get; init; }
}
