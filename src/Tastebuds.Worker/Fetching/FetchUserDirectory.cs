using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Tastebuds.Worker.Lastfm;

namespace Tastebuds.Worker.Fetching;

/// <summary>Who to fetch: <c>Lastfm:Users</c> first, then every active row of <c>lastfm_users</c>, each name once (case-insensitively).</summary>
public sealed class FetchUserDirectory(NpgsqlDataSource dataSource, IOptions<LastfmOptions> options)
{
    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var active = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT username FROM lastfm_users WHERE is_active ORDER BY lower(username)", cancellationToken: ct));
        return options.Value.Users
            .Concat(active)
            .Where(CatalogKey.IsUsable)
            .Select(u => u.Trim())
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
    }
}
