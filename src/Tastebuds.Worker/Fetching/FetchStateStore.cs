using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Tastebuds.Worker.Lastfm;
using Tastebuds.Worker.Runs;

namespace Tastebuds.Worker.Fetching;

/// <summary>
/// The per-user state change detection reads and writes: <see cref="UserFetchState"/> before a fetch, the stored
/// personal tags a full fetch applies between tag fetches, and the one-column write of an unchanged user.
/// </summary>
public sealed class FetchStateStore(NpgsqlDataSource dataSource, IOptions<FetchingOptions> options)
{
    /// <summary>The verdicts that say how a user's last fetch went (running, cancelled and abandoned rows say nothing of the data).</summary>
    internal static readonly string[] Verdicts =
        [.. new[] { StepStatus.Succeeded, StepStatus.Unchanged, StepStatus.Failed, StepStatus.Skipped }.Select(RunNames.ToSql)];

    /// <summary>The user's state, or null for a user the database does not hold.</summary>
    public async Task<UserFetchState?> LoadAsync(string username, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<StateRow>(new CommandDefinition(
            """
            SELECT u.id AS UserId, u.total_playcount AS TotalPlaycount, u.loved_tracks_total AS LovedTracksTotal,
                   u.last_full_fetch_at IS NULL AS NeverFullyFetched,
                   coalesce(u.last_full_fetch_at <= now() - @fullRefresh * coalesce(u.refresh_fraction, 1), true) AS FullFetchDue,
                   coalesce(u.tags_fetched_at <= now() - @tagsRefresh * coalesce(u.refresh_fraction, 1), true) AS TagsDue,
                   coalesce((SELECT d.status = @failed FROM data_fetch_logs d
                              WHERE lower(d.username) = lower(u.username) AND d.username IS NOT NULL
                                AND d.job_type = @fetchUser AND d.status = ANY(@verdicts)
                              ORDER BY d.started_at DESC LIMIT 1), false) AS LastFailed
            FROM lastfm_users u
            WHERE lower(u.username) = lower(@username)
            """,
            new
            {
                username = username.Trim(),
                fullRefresh = options.Value.FullRefreshAfter,
                tagsRefresh = options.Value.TagsRefreshAfter,
                failed = RunNames.ToSql(StepStatus.Failed),
                fetchUser = RunNames.ToSql(JobType.FetchUser),
                verdicts = Verdicts,
            },
            cancellationToken: ct));
        return row is null ? null
            : new UserFetchState(row.UserId, row.TotalPlaycount, row.LovedTracksTotal, row.NeverFullyFetched, row.FullFetchDue, row.TagsDue, row.LastFailed);
    }

    /// <summary>The personal tags the user's last tag fetch stored, in the order they were served.</summary>
    public async Task<IReadOnlyList<PersonalTag>> StoredTagsAsync(long userId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<(string Tag, string Kind, string Name, string? Artist)>(new CommandDefinition(
            "SELECT tag, kind, name, artist FROM user_personal_tags WHERE user_id = @userId ORDER BY position",
            new { userId }, cancellationToken: ct));
        return [.. rows.Select(r => new PersonalTag(r.Tag, new TaggedItem(KindOf(r.Kind), r.Name, r.Artist, null, null)))];
    }

    /// <summary>
    /// An unchanged user: <c>last_fetched_at</c> moves, and the profile's descriptive fields follow getInfo (the same
    /// values in an unchanged world, so the row differs in <c>last_fetched_at</c> only). Returns false when the user's
    /// row is gone (deleted meanwhile).
    /// </summary>
    public async Task<bool> MarkUnchangedAsync(long userId, LastfmUserProfile profile, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand(
            """
            UPDATE lastfm_users u
               SET last_fetched_at = now(),
                   username = $2, real_name = $3, country = $4, registered_at = $5, profile_url = $6, image_url = $7,
                   updated_at = CASE WHEN (u.username, u.real_name, u.country, u.registered_at, u.profile_url, u.image_url)
                                          IS DISTINCT FROM ($2, $3, $4, $5, $6, $7) THEN now() ELSE u.updated_at END
             WHERE id = $1
            """, connection)
        {
            Parameters =
            {
                new() { Value = userId },
                new() { Value = profile.Name, NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = (object?)profile.RealName ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = (object?)profile.Country ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = (object?)profile.Registered ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz },
                new() { Value = (object?)profile.Url ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = (object?)profile.ImageUrl ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
            },
        };
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    internal static string KindName(TaggingType kind) => kind switch
    {
        TaggingType.Track => "track",
        TaggingType.Album => "album",
        _ => "artist",
    };

    private static TaggingType KindOf(string kind) => kind switch
    {
        "track" => TaggingType.Track,
        "album" => TaggingType.Album,
        _ => TaggingType.Artist,
    };

    private sealed record StateRow(long UserId, long TotalPlaycount, int? LovedTracksTotal, bool NeverFullyFetched, bool FullFetchDue, bool TagsDue, bool LastFailed);
}
