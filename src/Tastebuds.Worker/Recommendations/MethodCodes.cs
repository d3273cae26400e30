using Dapper;
using Npgsql;

namespace Tastebuds.Worker.Recommendations;

/// <summary>
/// <c>recommendation_methods</c>: the code a hybrid's component is stored under. A name the table does not know yet (a
/// new component) is added with the next free code, so a stored code never changes meaning.
/// </summary>
internal static class MethodCodes
{
    public static async Task<IReadOnlyDictionary<string, short>> EnsureAsync(NpgsqlConnection connection, IEnumerable<string> names,
        CancellationToken ct)
    {
        var wanted = names.Distinct(StringComparer.Ordinal).ToArray();
        if (wanted.Length > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO recommendation_methods (code, name)
                SELECT (SELECT max(code) FROM recommendation_methods) + row_number() OVER (ORDER BY n), n
                FROM unnest(@wanted::text[]) AS w(n)
                WHERE NOT EXISTS (SELECT 1 FROM recommendation_methods m WHERE m.name = w.n)
                ON CONFLICT (name) DO NOTHING
                """, new { wanted }, cancellationToken: ct));
        }

        var rows = await connection.QueryAsync<(short Code, string Name)>(new CommandDefinition(
            "SELECT code, name FROM recommendation_methods", cancellationToken: ct));
        return rows.ToDictionary(r => r.Name, r => r.Code, StringComparer.Ordinal);
    }
}
