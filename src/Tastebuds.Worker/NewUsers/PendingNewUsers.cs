using Dapper;
using Npgsql;

namespace Tastebuds.Worker.NewUsers;

/// <summary>The two queues of the FetchNewUsers job, read from the tables (so a plain INSERT is enough to enter them).</summary>
public sealed class PendingNewUsers(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Active users never fetched and never tried: no fetch_user row with a verdict since they were added. A user
    /// Last.fm does not know (skipped) or whose fetch failed is not tried again every minute; the weekly run takes
    /// them (failed users right after new ones). A try cut short by a shutdown is tried again.
    /// </summary>
    public async Task<IReadOnlyList<string>> NeverFetchedAsync(int limit, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var names = await connection.QueryAsync<string>(new CommandDefinition(
            """
            SELECT u.username FROM lastfm_users u
            WHERE u.is_active AND u.last_fetched_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM data_fetch_logs l
                              WHERE lower(l.username) = lower(u.username) AND l.started_at >= u.created_at
                                AND l.job_type = 'fetch_user' AND l.status NOT IN ('running', 'cancelled', 'abandoned'))
            ORDER BY u.created_at, u.id
            LIMIT @limit
            """, new { limit }, cancellationToken: ct));
        return names.AsList();
    }

    /// <summary>
    /// Fetched users that no full similarity run has seen and no incremental step has served since their fetch: fetched
    /// after the start of the last successful similarity run, with no neighbour list, and no successful serve_new_user
    /// row since that fetch. A newcomer served while a full run was computing cannot be swapped away (the results lock
    /// keeps them apart); one fetched during a full run is served after it.
    /// </summary>
    public async Task<IReadOnlyList<NewUser>> ToServeAsync(int limit, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var users = await connection.QueryAsync<NewUser>(new CommandDefinition(
            """
            SELECT u.id AS Id, u.username AS Username FROM lastfm_users u
            WHERE u.is_active AND u.last_fetched_at IS NOT NULL
              AND u.last_fetched_at > coalesce((SELECT max(l.started_at) FROM data_fetch_logs l
                                                WHERE l.job_type = 'recalculate_similarities' AND l.status = 'succeeded'),
                                               '-infinity')
              AND NOT EXISTS (SELECT 1 FROM user_similarities s WHERE s.user_id = u.id)
              AND NOT EXISTS (SELECT 1 FROM data_fetch_logs l
                              WHERE lower(l.username) = lower(u.username) AND l.job_type = 'serve_new_user'
                                AND l.status = 'succeeded' AND l.started_at >= u.last_fetched_at)
            ORDER BY u.last_fetched_at, u.id
            LIMIT @limit
            """, new { limit }, cancellationToken: ct));
        return users.AsList();
    }
}

public sealed record NewUser(long Id, string Username);
