using Npgsql;
using NpgsqlTypes;

namespace Tastebuds.Worker.Recommendations;

/// <summary>
/// Gives the loader's tags their ids in the <c>tags</c> table (sql/0014), registering the ones it has not seen, so that a
/// stored tag reason names its tag in every later read whatever run wrote it. A tag keeps the spelling it was first
/// registered with. Runs after the stage's snapshot, in its own statements (read committed): a concurrent registration
/// of the same tag waits for the other and then reads its id.
/// </summary>
public static class TagRegistry
{
    public static async Task<SideSignalRows> RegisterAsync(NpgsqlConnection connection, SideSignalRows rows, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.TagNames.Count == 0)
        {
            return rows;
        }

        var keys = rows.TagNames.Select(t => t.Key).ToArray();
        await using (var insert = new NpgsqlCommand(
            """
            INSERT INTO tags (name_key, name)
            SELECT t.name_key, t.name FROM unnest($1::text[], $2::text[]) AS t(name_key, name)
            ORDER BY t.name_key
            ON CONFLICT (name_key) DO NOTHING
            """, connection)
        {
            Parameters =
            {
                new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = keys },
                new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = rows.TagNames.Select(t => t.Name).ToArray() },
            },
        })
        {
            await insert.ExecuteNonQueryAsync(ct);
        }

        var ids = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var select = new NpgsqlCommand("SELECT name_key, id FROM tags WHERE name_key = ANY ($1)", connection)
        {
            Parameters = { new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = keys } },
        })
        await using (var reader = await select.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                ids[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        var stable = keys.Select(k => ids[k]).ToArray();
        return rows with
        {
            Tags = rows.Tags.Select(r => r with { TagId = stable[r.TagId - 1] }).ToList(),
            TagNames = [],
        };
    }
}
