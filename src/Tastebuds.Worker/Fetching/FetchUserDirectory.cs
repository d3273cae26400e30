using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Tastebuds.Worker.Lastfm;
using Tastebuds.Worker.Runs;

namespace Tastebuds.Worker.Fetching;

/// <summary>
/// Who to fetch: <c>Lastfm:Users</c> and every active row of <c>lastfm_users</c>, each name once (case-insensitively),
/// in order of value, so that a run cut short (shutdown, the key's budget) has spent its requests where they matter
/// most: users never fetched first (no verdict and no data yet), then users whose last fetch failed, then the others,
/// stalest first (<c>last_fetched_at</c>, never stored before ever stored); ties by name.
/// </summary>
public sealed class FetchUserDirectory(NpgsqlDataSource dataSource, IOptions<LastfmOptions> options)
{
    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken ct)
    {
        var configured = options.Value.Users.Where(CatalogKey.IsUsable).Select(u => u.Trim()).ToArray();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Candidate>(new CommandDefinition(
            """
            WITH wanted AS (
                SELECT username FROM lastfm_users WHERE is_active
                UNION ALL
                SELECT c FROM unnest(@configured::text[]) c
            )
            SELECT w.username AS Username, u.last_fetched_at AS LastFetchedAt, v.status AS LastVerdict
            FROM wanted w
            LEFT JOIN lastfm_users u ON lower(u.username) = lower(w.username)
            LEFT JOIN LATERAL (
                SELECT d.status FROM data_fetch_logs d
                WHERE lower(d.username) = lower(w.username) AND d.username IS NOT NULL
                  AND d.job_type = @fetchUser AND d.status = ANY(@verdicts)
                ORDER BY d.started_at DESC LIMIT 1) v ON true
            """,
            new { configured, fetchUser = RunNames.ToSql(JobType.FetchUser), verdicts = FetchStateStore.Verdicts },
            cancellationToken: ct));
        return Order(rows.Where(r => CatalogKey.IsUsable(r.Username)));
    }

    /// <summary>The run order of <paramref name="candidates"/> (each name once, case-insensitively).</summary>
    internal static IReadOnlyList<string> Order(IEnumerable<Candidate> candidates)
    {
        var failed = RunNames.ToSql(StepStatus.Failed);
        return candidates
            .Select(c => c with { Username = c.Username.Trim() })
            .DistinctBy(c => c.Username, StringComparer.OrdinalIgnoreCase)
            .OrderBy(c => c.LastVerdict is null && c.LastFetchedAt is null ? 0 : c.LastVerdict == failed ? 1 : 2)
            .ThenBy(c => c.LastFetchedAt ?? DateTime.MinValue)
            .ThenBy(c => c.Username.ToLowerInvariant(), StringComparer.Ordinal)
            .Select(c => c.Username)
            .ToList();
    }

    /// <summary>A user to fetch, with what orders it: its last stored fetch and its last verdict (null when none).</summary>
    internal sealed record Candidate(string Username, DateTime? LastFetchedAt, string? LastVerdict);
}
