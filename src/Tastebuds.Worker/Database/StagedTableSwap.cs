using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Npgsql;

namespace Tastebuds.Worker.Database;

/// <summary>
/// Replaces the whole content of a result table (a partitioned parent with one partition, the current generation:
/// sql/0007) in ONE transaction:
/// <list type="number">
/// <item>binary COPY with FREEZE into a new table shaped like the parent (columns, defaults, checks; no index, key or
/// foreign key yet, so the load runs at bare-COPY speed; the rows are written frozen and all-visible, so the table
/// never needs a vacuum, and autovacuum is off on it: see below);</item>
/// <item>the parent's keys, indexes and foreign keys built on it once, from the catalog (so a column or index added to the
/// parent later is followed), each foreign key validated by one join instead of a check per row; then ANALYZE;</item>
/// <item><c>LOCK</c> the parent (and so its partition) ACCESS EXCLUSIVE with a short <c>lock_timeout</c>
/// (<see cref="LockTimeout"/>): if a reader is still at work the attempt gives up, is rolled back to a savepoint, and is
/// tried again after a pause, so readers that arrive meanwhile are never queued behind a waiting swap for longer than
/// one attempt. After <see cref="LockAttempts"/> attempts the swap waits for the lock as long as it takes, so a stream
/// of long readers cannot starve it;</item>
/// <item>detach the old partition, attach the new one, <c>COMMIT</c>; then drop the detached old generation, its foreign
/// keys first, one a transaction, so that readers never wait for its files to be unlinked (see DropDetachedAsync).</item>
/// </list>
/// Readers see the whole old or the whole new content: the swap commits as one, and they wait on the lock only for
/// the detach/attach (milliseconds: the indexes, constraints and foreign keys already match, so nothing is built or
/// scanned under it). A failure or cancellation anywhere rolls everything back, including the new
/// table. Nothing is deleted row by row, so the table does not bloat. Autovacuum is off on generations because a
/// vacuum or analyze of the current generation holds a lock that the next swap's LOCK would queue behind (until
/// PostgreSQL cancels it after deadlock_timeout, a second of stalled readers); the rows are frozen at load, and the
/// few rows that per-user writes replace between runs leave dead tuples only until the next generation drops them.
/// Per-user writes to the parent between runs (rows routed to the current partition) hold ROW EXCLUSIVE, so a swap
/// waits for them and they wait for a swap: they never interleave. Two concurrent swaps of one table take turns (a
/// transaction advisory lock on the table's name, taken first); the second detaches what the first attached.
/// </summary>
public static partial class StagedTableSwap
{
    /// <summary>How long one attempt at the swap's table lock may wait: the longest a reader queues behind it.</summary>
    public static readonly TimeSpan LockTimeout = TimeSpan.FromMilliseconds(50);

    /// <summary>Attempts with <see cref="LockTimeout"/> before the swap waits for its lock without a limit.</summary>
    public const int LockAttempts = 50;

    /// <returns>The rows the table holds after the swap.</returns>
    public static Task<long> ReplaceAsync(
        NpgsqlConnection connection,
        string table,
        string columns,
        Func<NpgsqlBinaryImporter, Task<long>> writeRows,
        TimeSpan commandTimeout,
        CancellationToken ct) =>
        ReplaceAsync(connection, table, columns, writeRows, commandTimeout, new SwapSteps(), ct);

    /// <param name="steps">Filled with the time each step took.</param>
    /// <returns>The rows the table holds after the swap.</returns>
    public static Task<long> ReplaceAsync(
        NpgsqlConnection connection,
        string table,
        string columns,
        Func<NpgsqlBinaryImporter, Task<long>> writeRows,
        TimeSpan commandTimeout,
        SwapSteps steps,
        CancellationToken ct) =>
        ReplaceAsync(connection, table, async next =>
        {
            await using var importer = await connection.BeginBinaryImportAsync(CopySql(next, columns), ct);
            importer.Timeout = commandTimeout;
            var written = await writeRows(importer);
            await importer.CompleteAsync(ct);
            return written;
        }, commandTimeout, steps, ct);

    /// <summary>
    /// The same swap with the rows written by <paramref name="writeRows"/> straight in PostgreSQL's binary COPY format
    /// (<see cref="BinaryCopyRows"/>): for the largest tables, where Npgsql's importer, a call per value, costs the
    /// worker about as much CPU as the server's side of the COPY (docs/benchmarks.md, "The similarity write's rows
    /// formatted by hand").
    /// </summary>
    /// <returns>The rows the table holds after the swap.</returns>
    public static Task<long> ReplaceAsync(
        NpgsqlConnection connection,
        string table,
        string columns,
        Func<BinaryCopyRows, Task<long>> writeRows,
        TimeSpan commandTimeout,
        SwapSteps steps,
        CancellationToken ct) =>
        ReplaceAsync(connection, table, async next =>
        {
            await using var stream = await connection.BeginRawBinaryCopyAsync(CopySql(next, columns), ct);
            stream.WriteTimeout = (int)commandTimeout.TotalMilliseconds;
            try
            {
                var rows = new BinaryCopyRows(stream);
                var written = await writeRows(rows);
                rows.Complete();
                return written;
            }
            catch
            {
                // Ending the COPY would send what was written so far as a complete input: cancel it instead.
                await stream.CancelAsync();
                throw;
            }
        }, commandTimeout, steps, ct);

    private static string CopySql(string next, string columns) => $"COPY {next} ({columns}) FROM STDIN (FORMAT BINARY, FREEZE)";

    /// <param name="copyInto">Runs the COPY of every row into the new table it is given the name of; returns the rows.</param>
    private static async Task<long> ReplaceAsync(
        NpgsqlConnection connection,
        string table,
        Func<string, Task<long>> copyInto,
        TimeSpan commandTimeout,
        SwapSteps steps,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var suffix = "g" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant();
        var next = $"{table}_{suffix}";
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // Two swaps of one table take turns from the start: each reads the parent (LIKE) and later locks it whole.
        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock(hashtext('tastebuds.swap.{table}'))", commandTimeout, ct);
        await ExecuteAsync(connection,
            $"CREATE TABLE {next} (LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS) WITH (autovacuum_enabled = false, toast.autovacuum_enabled = false)",
            commandTimeout, ct);

        var written = await copyInto(next);
        steps.CopyDone();
        var like = await LikeParentAsync(connection, table, next, suffix, ct);
        foreach (var (_, statement) in like.Where(s => s.Kind != ForeignKey))
        {
            await ExecuteAsync(connection, statement, commandTimeout, ct);
        }

        steps.KeysDone();
        foreach (var (_, statement) in like.Where(s => s.Kind == ForeignKey))
        {
            await ExecuteAsync(connection, statement, commandTimeout, ct);
        }

        steps.ForeignKeysDone();
        await ExecuteAsync(connection, $"ANALYZE {next}", commandTimeout, ct);
        steps.AnalyzeDone();
        await LockAsync(connection, transaction, table, commandTimeout, ct);
        var olds = await PartitionsAsync(connection, table, ct);
        foreach (var old in olds)
        {
            await ExecuteAsync(connection, $"ALTER TABLE {table} DETACH PARTITION {old}", commandTimeout, ct);
        }

        await ExecuteAsync(connection, $"ALTER TABLE {table} ATTACH PARTITION {next} FOR VALUES FROM (MINVALUE) TO (MAXVALUE)", commandTimeout, ct);
        await transaction.CommitAsync(ct);
        steps.SwapDone();
        // The swap is done; what follows only frees space, so it is not cancelled with the run and does not fail it.
        try
        {
            foreach (var old in olds.Union(await LeftoversAsync(connection, table, CancellationToken.None)))
            {
                await DropDetachedAsync(connection, old, commandTimeout, CancellationToken.None);
            }
        }
        catch (NpgsqlException)
        {
            // Left for the next swap of this table (LeftoversAsync).
        }

        steps.DropDone();
        return written;
    }

    /// <summary>
    /// Drops a detached old generation after the swap's commit, so that readers never wait for it. Dropped whole under
    /// the swap's lock (as before), it held the parent, tracks and lastfm_users exclusively until its files were unlinked
    /// at commit (tens of ms at 100,000 users, the largest read latencies during a swap). Dropped whole after the commit
    /// (tried), it deadlocked with a reader (40P01): the drop takes lastfm_users and tracks exclusively to remove its
    /// foreign keys' triggers, in its own order, while a reader takes them in its query's order. So its foreign keys go
    /// first, one a transaction (each holds one referenced table for a catalog change, attempts bounded by
    /// <see cref="LockTimeout"/> like the swap's lock), then the table, which no reader can reach any more: its files
    /// are unlinked holding nothing a reader needs. A failure here leaves a detached table behind, which the next swap
    /// of the same table drops (<see cref="LeftoversAsync"/>).
    /// </summary>
    private static async Task DropDetachedAsync(NpgsqlConnection connection, string old, TimeSpan commandTimeout, CancellationToken ct)
    {
        foreach (var foreignKey in await ForeignKeysAsync(connection, old, ct))
        {
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await LockAsync(connection, transaction, old, commandTimeout, ct,
                $"ALTER TABLE IF EXISTS {old} DROP CONSTRAINT IF EXISTS {foreignKey}");
            await transaction.CommitAsync(ct);
        }

        await ExecuteAsync(connection, $"DROP TABLE IF EXISTS {old}", commandTimeout, ct);
    }

    /// <summary>Generations of the table that are no partition of it any more: detached by a swap whose drop did not finish.</summary>
    private static async Task<List<string>> LeftoversAsync(NpgsqlConnection connection, string table, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT c.oid::regclass::text FROM pg_class c
            WHERE c.relnamespace = (SELECT n.oid FROM pg_class p JOIN pg_namespace n ON n.oid = p.relnamespace WHERE p.oid = $1::regclass)
              AND c.relname LIKE replace($2, '_', '\_') || '\_g%' AND c.relkind = 'r' AND NOT c.relispartition
            """, connection)
        {
            Parameters = { new() { Value = table }, new() { Value = table } },
        };
        var tables = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    /// <summary>
    /// ACCESS EXCLUSIVE on the parent and its partitions, in attempts of at most <see cref="LockTimeout"/> each (rolled
    /// back to a savepoint when they time out), then, after <see cref="LockAttempts"/>, one wait without a limit. The
    /// session's own lock_timeout is restored for the rest of the transaction.
    /// </summary>
    private static async Task LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string table, TimeSpan commandTimeout,
        CancellationToken ct, string? statement = null)
    {
        var lockSql = statement ?? $"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE";
        await using (var show = new NpgsqlCommand("SELECT current_setting('lock_timeout')", connection))
        {
            var previous = (string)(await show.ExecuteScalarAsync(ct))!;
            for (var attempt = 1; attempt <= LockAttempts; attempt++)
            {
                await transaction.SaveAsync("swap_lock", ct);
                try
                {
                    await SetLockTimeoutAsync(connection, $"{(int)LockTimeout.TotalMilliseconds}ms", ct);
                    await ExecuteAsync(connection, lockSql, commandTimeout, ct);
                    await SetLockTimeoutAsync(connection, previous, ct);
                    await transaction.ReleaseAsync("swap_lock", ct);
                    return;
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
                {
                    await transaction.RollbackAsync("swap_lock", ct);
                }

                // Let the readers that queued behind the attempt through, then try again (a pause that grows a little).
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(200, 10 * attempt)), ct);
            }

            await SetLockTimeoutAsync(connection, "0", ct);
            await ExecuteAsync(connection, lockSql, commandTimeout, ct);
            await SetLockTimeoutAsync(connection, previous, ct);
        }
    }

    private static async Task SetLockTimeoutAsync(NpgsqlConnection connection, string value, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT set_config('lock_timeout', $1, true)", connection)
        {
            Parameters = { new() { Value = value } },
        };
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// The parent's primary key and unique constraints, plain indexes, then foreign keys, as statements on the new table,
    /// with the generation as suffix (names are unique per schema). Attach adopts each of them instead of building one.
    /// Adding a foreign key takes SHARE ROW EXCLUSIVE on the referenced table until commit; they are added in the
    /// referenced tables' name order (lastfm_users, then tracks), the order in which a fetch writes them, so a swap and
    /// a fetch wait for each other instead of deadlocking.
    /// </summary>
    private const int ForeignKey = 3;

    private static async Task<List<(int Kind, string Sql)>> LikeParentAsync(NpgsqlConnection connection, string table, string next, string suffix, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT 1, '', format('ALTER TABLE %I ADD CONSTRAINT %I %s', $2::text, left(c.conname, 50) || '_' || $3, pg_get_constraintdef(c.oid))
            FROM pg_constraint c WHERE c.conrelid = $1::regclass AND c.contype IN ('p', 'u')
            UNION ALL
            SELECT 2, '', pg_get_indexdef(i.indexrelid)
            FROM pg_index i WHERE i.indrelid = $1::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            UNION ALL
            SELECT 3, c.confrelid::regclass::text,
                   format('ALTER TABLE %I ADD CONSTRAINT %I %s', $2::text, left(c.conname, 50) || '_' || $3, pg_get_constraintdef(c.oid))
            FROM pg_constraint c WHERE c.conrelid = $1::regclass AND c.contype = 'f'
            ORDER BY 1, 2, 3
            """, connection)
        {
            Parameters = { new() { Value = table }, new() { Value = next }, new() { Value = suffix } },
        };
        var statements = new List<(int, string)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var (kind, sql) = (reader.GetInt32(0), reader.GetString(2));
            statements.Add((kind, kind == 2 ? IndexOnParent().Replace(sql, m => $"CREATE {m.Groups[1].Value}INDEX {m.Groups[2].Value}_{suffix} ON {next} ") : sql));
        }

        return statements;
    }

    private static Task<List<string>> ForeignKeysAsync(NpgsqlConnection connection, string table, CancellationToken ct) =>
        NamesAsync(connection,
            "SELECT quote_ident(conname) FROM pg_constraint WHERE conrelid = to_regclass($1) AND contype = 'f' ORDER BY confrelid::regclass::text",
            table, ct);

    private static Task<List<string>> PartitionsAsync(NpgsqlConnection connection, string table, CancellationToken ct) =>
        NamesAsync(connection, "SELECT inhrelid::regclass::text FROM pg_inherits WHERE inhparent = $1::regclass", table, ct);

    /// <summary>The first column of a catalog query about <paramref name="table"/> (its one parameter).</summary>
    private static async Task<List<string>> NamesAsync(NpgsqlConnection connection, string sql, string table, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection)
        {
            Parameters = { new() { Value = table } },
        };
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, TimeSpan timeout, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = (int)Math.Ceiling(timeout.TotalSeconds) };
        await command.ExecuteNonQueryAsync(ct);
    }

    [GeneratedRegex(@"^CREATE (UNIQUE )?INDEX (\S+) ON ONLY \S+ ")]
    private static partial Regex IndexOnParent();
}
