using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Npgsql;

namespace Tastebuds.Worker.Database;

/// <summary>
/// Replaces the whole content of a result table (a partitioned parent, range-partitioned on its first key column; its
/// partitions are the current generation: sql/0007) with a new generation, written over several connections at once:
/// <list type="number">
/// <item>each part of the new generation (a range of the partition key, <see cref="GenerationParts"/>) on its own
/// connection and transaction: a new table shaped like the parent (columns, defaults, checks, and a check of its range,
/// so the attach below need not scan it), binary COPY with FREEZE into it (no index, key or foreign key yet, so the load
/// runs at bare-COPY speed; the rows are written frozen and all-visible, so the table never needs a vacuum, and
/// autovacuum is off on it: see below), the parent's keys and indexes built on it from the catalog (so a column or
/// index added to the parent later is followed), its foreign keys added NOT VALID, COMMIT; then each foreign key
/// validated by one join (SHARE UPDATE EXCLUSIVE on the part only, so the parts validate side by side), then ANALYZE.
/// The parts run at the same time: their COPYs, the server's side of which is one core each, and their validations;
/// a caller whose rows come in key order completes each part as soon as it has passed it, so that part's keys are built
/// while the next is still written;</item>
/// <item>the swap, in ONE transaction: <c>LOCK</c> the parent (and so its partitions) ACCESS EXCLUSIVE with a short
/// <c>lock_timeout</c> (<see cref="LockTimeout"/>): if a reader is still at work the attempt gives up, is rolled back
/// to a savepoint, and is tried again after a pause, so readers that arrive meanwhile are never queued behind a waiting
/// swap for longer than one attempt. After <see cref="LockAttempts"/> attempts the swap waits for the lock as long as it
/// takes, so a stream of long readers cannot starve it. Then the old partitions detached, the new parts attached over
/// the whole key range, COMMIT; then the detached old generation dropped, its foreign keys first, one a transaction, so
/// that readers never wait for its files to be unlinked (see DropDetachedAsync).</item>
/// </list>
/// Readers see the whole old or the whole new content: the swap commits as one, and they wait on the lock only for
/// the detach/attach (milliseconds: the indexes, constraints and foreign keys already match and each part's range is
/// implied by its check, so nothing is built or scanned under it). The new parts are committed before the swap but are
/// no partition of the table, so no reader of it sees them; a failure or cancellation anywhere rolls back or drops every
/// part, and the old generation stays. A generation in flight is marked by a session advisory lock (<see cref="AdvisoryLock"/>) keyed by its name, so a
/// concurrent swap's clean-up of leftovers (parts of a crashed run) leaves it alone. Nothing is deleted row by row, so
/// the table does not bloat. Autovacuum is off on generations because a vacuum or analyze of the current generation
/// holds a lock that the next swap's LOCK would queue behind (until PostgreSQL cancels it after deadlock_timeout, a second
/// of stalled readers); the rows are frozen at load, and the few rows that per-user writes replace between runs leave
/// dead tuples only until the next generation drops them. Per-user writes to the parent between runs (rows routed to the
/// current partitions) hold ROW EXCLUSIVE, so a swap waits for them and they wait for a swap: they never interleave. Two
/// concurrent swaps of one table take turns for the swap itself (a transaction advisory lock on the table's name, taken
/// first); the second detaches what the first attached.
/// </summary>
public static partial class StagedTableSwap
{
    /// <summary>How long one attempt at the swap's table lock may wait: the longest a reader queues behind it.</summary>
    public static readonly TimeSpan LockTimeout = TimeSpan.FromMilliseconds(50);

    /// <summary>Attempts with <see cref="LockTimeout"/> before the swap waits for its lock without a limit.</summary>
    public const int LockAttempts = 50;

    /// <summary>The whole generation as one part, on one connection.</summary>
    /// <returns>The rows the table holds after the swap.</returns>
    public static Task<long> ReplaceAsync(
        NpgsqlDataSource dataSource,
        string table,
        string columns,
        Func<BinaryCopyRows, Task<long>> writeRows,
        TimeSpan commandTimeout,
        SwapSteps steps,
        CancellationToken ct) =>
        ReplaceAsync(dataSource, table, columns, [], parts => writeRows(parts[0]), commandTimeout, steps, ct);

    /// <summary>
    /// The swap of a generation written in <c>splits.Count + 1</c> parts at once, each on its own connection: part i holds
    /// the partition keys from <c>splits[i − 1]</c> (from the lowest for the first) up to, not including, <c>splits[i]</c>
    /// (to the highest for the last). <paramref name="writeRows"/> writes every row into its part's COPY
    /// (<see cref="GenerationParts"/>), in PostgreSQL's binary COPY format straight (<see cref="BinaryCopyRows"/>: for
    /// the largest tables Npgsql's importer, a call per value, cost the worker about as much CPU as the server's side of
    /// the COPY; docs/benchmarks.md, "The similarity write's rows formatted by hand").
    /// </summary>
    /// <param name="splits">Ascending, each once: where each part after the first begins.</param>
    /// <param name="steps">Filled with the time each step took.</param>
    /// <returns>The rows the table holds after the swap.</returns>
    public static async Task<long> ReplaceAsync(
        NpgsqlDataSource dataSource,
        string table,
        string columns,
        IReadOnlyList<long> splits,
        Func<GenerationParts, Task<long>> writeRows,
        TimeSpan commandTimeout,
        SwapSteps steps,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(splits);
        ArgumentNullException.ThrowIfNull(writeRows);
        ArgumentNullException.ThrowIfNull(steps);
        for (var i = 1; i < splits.Count; i++)
        {
            if (splits[i] <= splits[i - 1])
            {
                throw new ArgumentException($"The parts' splits must be ascending, each once: {splits[i - 1]} then {splits[i]}.", nameof(splits));
            }
        }

        var generation = $"{table}_g{Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant()}";
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        // Marks the generation in flight until its swap is done or abandoned (a fresh random name: never held).
        var inFlight = await AdvisoryLock.TryAcquireAsync(dataSource, InFlightKey(generation), ct);
        var parts = new List<GenerationPart>();
        try
        {
            var key = await PartitionKeyAsync(connection, table, ct);
            for (var i = 0; i <= splits.Count; i++)
            {
                var (from, to) = (i == 0 ? (long?)null : splits[i - 1], i == splits.Count ? (long?)null : splits[i]);
                parts.Add(await GenerationPart.StartAsync(dataSource, table, columns, $"{generation}_{i}", $"{generation[(table.Length + 1)..]}_{i}",
                    key, from, to, commandTimeout, steps, ct));
            }

            var written = await writeRows(new GenerationParts(parts, splits));
            foreach (var part in parts)
            {
                part.Complete();
            }

            await Task.WhenAll(parts.Select(p => p.Built));
            await SwapAsync(connection, table, parts, commandTimeout, ct);
            steps.SwapDone();
            return written;
        }
        catch
        {
            // Every part stopped and rolled back; those already committed are dropped by the clean-up below.
            foreach (var part in parts)
            {
                await part.AbandonAsync();
            }

            throw;
        }
        finally
        {
            foreach (var part in parts)
            {
                await part.DisposeAsync();
            }

            if (inFlight is not null)
            {
                await inFlight.DisposeAsync();
            }

            if (connection.State == System.Data.ConnectionState.Open)
            {
                // The swap is done (or abandoned); what follows only frees space, so it is not cancelled with the run and
                // does not fail it.
                try
                {
                    foreach (var old in await LeftoversAsync(connection, table, CancellationToken.None))
                    {
                        await DropUnlessInFlightAsync(dataSource, connection, old, commandTimeout);
                    }
                }
                catch (NpgsqlException)
                {
                    // Left for the next swap of this table (LeftoversAsync).
                }
            }

            steps.DropDone();
        }
    }

    /// <summary>One transaction: the parent locked, its partitions detached, the new parts attached over the key range.</summary>
    private static async Task SwapAsync(NpgsqlConnection connection, string table, List<GenerationPart> parts, TimeSpan commandTimeout,
        CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // Two swaps of one table take turns: each locks the parent whole and detaches what it finds attached.
        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock(hashtext('tastebuds.swap.{table}'))", commandTimeout, ct);
        await LockAsync(connection, transaction, table, commandTimeout, ct);
        foreach (var old in await PartitionsAsync(connection, table, ct))
        {
            await ExecuteAsync(connection, $"ALTER TABLE {table} DETACH PARTITION {old}", commandTimeout, ct);
        }

        foreach (var part in parts)
        {
            await ExecuteAsync(connection, $"ALTER TABLE {table} ATTACH PARTITION {part.Name} {part.Bounds}", commandTimeout, ct);
            if (part.RangeCheck is { } check)
            {
                // Implied by the partition's own constraint from now on.
                await ExecuteAsync(connection, $"ALTER TABLE {part.Name} DROP CONSTRAINT {check}", commandTimeout, ct);
            }
        }

        await transaction.CommitAsync(ct);
    }

    /// <summary>
    /// The session advisory lock that marks a generation as being written, so that no clean-up drops its parts: the
    /// generation's 32 random bits (the hex after <c>_g</c> in its tables' names) under a prefix of its own.
    /// </summary>
    private static long InFlightKey(string name)
    {
        var at = name.LastIndexOf("_g", StringComparison.Ordinal);
        var bits = at >= 0 && name.Length >= at + 10 && uint.TryParse(name.AsSpan(at + 2, 8), System.Globalization.NumberStyles.HexNumber,
            System.Globalization.CultureInfo.InvariantCulture, out var parsed) ? parsed : 0u;
        return 0x7462_6765_0000_0000 | bits;
    }

    /// <summary>
    /// Drops a leftover part (detached, or written by a run that stopped before its swap) unless its generation is still
    /// being written by a live session (its in-flight lock is held).
    /// </summary>
    private static async Task DropUnlessInFlightAsync(NpgsqlDataSource dataSource, NpgsqlConnection connection, string part, TimeSpan commandTimeout)
    {
        await using var free = await AdvisoryLock.TryAcquireAsync(dataSource, InFlightKey(part), CancellationToken.None);
        if (free is not null)
        {
            await DropDetachedAsync(connection, part, commandTimeout, CancellationToken.None);
        }
    }

    /// <summary>The quoted name of the parent's partition key column (its first).</summary>
    private static async Task<string> PartitionKeyAsync(NpgsqlConnection connection, string table, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT quote_ident(a.attname) FROM pg_partitioned_table p
            JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
            WHERE p.partrelid = $1::regclass
            """, connection)
        {
            Parameters = { new() { Value = table } },
        };
        return await command.ExecuteScalarAsync(ct) as string
            ?? throw new InvalidOperationException($"{table} is not a partitioned table: run the migrations (sql/0007).");
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
    internal const int ForeignKey = 3;

    internal static async Task<List<(int Kind, string Sql)>> LikeParentAsync(NpgsqlConnection connection, string table, string next, string suffix, CancellationToken ct)
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

    internal static Task<List<string>> ForeignKeysAsync(NpgsqlConnection connection, string table, CancellationToken ct) =>
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

    internal static async Task ExecuteAsync(NpgsqlConnection connection, string sql, TimeSpan timeout, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = (int)Math.Ceiling(timeout.TotalSeconds) };
        await command.ExecuteNonQueryAsync(ct);
    }

    [GeneratedRegex(@"^CREATE (UNIQUE )?INDEX (\S+) ON ONLY \S+ ")]
    private static partial Regex IndexOnParent();
}
