using Npgsql;

namespace Tastebuds.Worker.Database;

/// <summary>
/// Replaces the whole content of a result table in ONE transaction: binary COPY into a temporary staging table
/// shaped like the target, then <c>LOCK</c>, <c>DELETE FROM target</c>, <c>INSERT INTO target SELECT * FROM staging</c>,
/// <c>COMMIT</c>. Under MVCC a reader's statement sees either the whole old or the whole new content (the DELETE
/// and the INSERT become visible together at commit), and a failure or cancellation anywhere rolls back to the
/// old content. The table keeps its identity, so views and functions that use it keep working (a rename swap would
/// leave the views on the old table and need an ACCESS EXCLUSIVE lock that blocks readers). The lock mode
/// (SHARE ROW EXCLUSIVE) does not block readers; it only makes two concurrent swaps of the same table take turns,
/// so the second deletes what the first committed instead of colliding with it on the primary key.
/// </summary>
internal static class StagedTableSwap
{
    /// <returns>The rows the table holds after the swap.</returns>
    public static async Task<long> ReplaceAsync(
        NpgsqlConnection connection,
        string table,
        string columns,
        Func<NpgsqlBinaryImporter, Task<long>> writeRows,
        TimeSpan commandTimeout,
        CancellationToken ct)
    {
        var staging = $"staging_{table}";
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await ExecuteAsync(connection, $"CREATE TEMP TABLE {staging} (LIKE {table} INCLUDING DEFAULTS) ON COMMIT DROP", commandTimeout, ct);

        long written;
        await using (var importer = await connection.BeginBinaryImportAsync($"COPY {staging} ({columns}) FROM STDIN (FORMAT BINARY)", ct))
        {
            importer.Timeout = commandTimeout;
            written = await writeRows(importer);
            await importer.CompleteAsync(ct);
        }

        await ExecuteAsync(connection, $"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE", commandTimeout, ct);
        await ExecuteAsync(connection, $"DELETE FROM {table}", commandTimeout, ct);
        await ExecuteAsync(connection, $"INSERT INTO {table} ({columns}) SELECT {columns} FROM {staging}", commandTimeout, ct);
        await transaction.CommitAsync(ct);
        return written;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, TimeSpan timeout, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = (int)Math.Ceiling(timeout.TotalSeconds) };
        await command.ExecuteNonQueryAsync(ct);
    }
}
