using Npgsql;

namespace Tastebuds.Worker.Database;

/// <summary>
/// One part of a generation that <see cref="StagedTableSwap"/> writes: its own connection and transaction, its table
/// (a range of the partition key) and its COPY; once completed, its COPY ended, the parent's keys and indexes built on it,
/// its foreign keys added NOT VALID, COMMIT, each foreign key validated, ANALYZE (<see cref="Built"/>). Not attached here:
/// the swap attaches every part in one transaction.
/// </summary>
internal sealed class GenerationPart : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly NpgsqlRawCopyStream _stream;
    private readonly string _table;
    private readonly string _suffix;
    private readonly TimeSpan _timeout;
    private readonly SwapSteps _steps;
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop;
    private bool _copyEnded;

    private GenerationPart(NpgsqlConnection connection, NpgsqlTransaction transaction, NpgsqlRawCopyStream stream, string table, string name,
        string suffix, string bounds, string? rangeCheck, TimeSpan timeout, SwapSteps steps, CancellationToken ct)
    {
        _connection = connection;
        _transaction = transaction;
        _stream = stream;
        _table = table;
        _suffix = suffix;
        _timeout = timeout;
        _steps = steps;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        Name = name;
        Bounds = bounds;
        RangeCheck = rangeCheck;
        Rows = new BinaryCopyRows(stream);
        Built = BuildAsync();
    }

    public string Name { get; }

    /// <summary>The partition bound it is attached with, <c>FOR VALUES FROM (…) TO (…)</c>.</summary>
    public string Bounds { get; }

    /// <summary>The check of its key range (so the attach need not scan it), dropped once attached; none for the whole range.</summary>
    public string? RangeCheck { get; }

    public BinaryCopyRows Rows { get; }

    /// <summary>Done when the part is committed with its keys, validated foreign keys and statistics.</summary>
    public Task Built { get; }

    /// <summary>A new table for keys from <paramref name="from"/> (the lowest if null) to below <paramref name="to"/> (the highest if null), its COPY begun.</summary>
    public static async Task<GenerationPart> StartAsync(NpgsqlDataSource dataSource, string table, string columns, string name, string suffix,
        string key, long? from, long? to, TimeSpan timeout, SwapSteps steps, CancellationToken ct)
    {
        var connection = await dataSource.OpenConnectionAsync(ct);
        try
        {
            // Created in a transaction of its own: LIKE holds the parent (ACCESS SHARE) until its commit, and the COPY's
            // transaction below must not, or a concurrent run's swap would wait for this run's whole write. The COPY's
            // transaction truncates it first, which COPY FREEZE requires (a table created or truncated in it).
            string? check = null;
            await using (var create = await connection.BeginTransactionAsync(ct))
            {
                await StagedTableSwap.ExecuteAsync(connection,
                    $"CREATE TABLE {name} (LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS) WITH (autovacuum_enabled = false, toast.autovacuum_enabled = false)",
                    timeout, ct);
                if (from is not null || to is not null)
                {
                    check = $"{name}_range";
                    var range = string.Join(" AND ", new[] { from is { } f ? $"{key} >= {f}" : null, to is { } t ? $"{key} < {t}" : null }.OfType<string>());
                    await StagedTableSwap.ExecuteAsync(connection, $"ALTER TABLE {name} ADD CONSTRAINT {check} CHECK ({range})", timeout, ct);
                }

                await create.CommitAsync(ct);
            }

            var transaction = await connection.BeginTransactionAsync(ct);
            await StagedTableSwap.ExecuteAsync(connection, $"TRUNCATE {name}", timeout, ct);
            var stream = await connection.BeginRawBinaryCopyAsync($"COPY {name} ({columns}) FROM STDIN (FORMAT BINARY, FREEZE)", ct);
            stream.WriteTimeout = (int)timeout.TotalMilliseconds;
            var bounds = $"FOR VALUES FROM ({from?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "MINVALUE"}) " +
                $"TO ({to?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "MAXVALUE"})";
            return new GenerationPart(connection, transaction, stream, table, name, suffix, bounds, check, timeout, steps, ct);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Every row of the part is written: its COPY ends and it is built (<see cref="Built"/>). Once is enough.</summary>
    public void Complete() => _completed.TrySetResult();

    /// <summary>
    /// Stops the part wherever it is: its build cancelled, its COPY cancelled if still open (ending it would send what was
    /// written so far as a complete input), its transaction rolled back when the connection closes. Its table, created
    /// before, is a leftover that the swap's clean-up drops once the generation is no longer in flight.
    /// </summary>
    public async Task AbandonAsync()
    {
        _completed.TrySetCanceled();
        await _stop.CancelAsync();
        try
        {
            await Built;
        }
        catch (Exception)
        {
            // Its own failure (already reported by the swap) or the cancellation just asked for.
        }

        if (!_copyEnded)
        {
            try
            {
                await _stream.CancelAsync();
            }
            catch (Exception)
            {
                // The connection is closed below either way.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Dispose();
        await _connection.DisposeAsync();
    }

    private async Task BuildAsync()
    {
        await _completed.Task;
        var ct = _stop.Token;
        Rows.Complete();
        await _stream.DisposeAsync();
        _copyEnded = true;
        _steps.CopyDone();
        var like = await StagedTableSwap.LikeParentAsync(_connection, _table, Name, _suffix, ct);
        foreach (var (_, statement) in like.Where(s => s.Kind != StagedTableSwap.ForeignKey))
        {
            await StagedTableSwap.ExecuteAsync(_connection, statement, _timeout, ct);
        }

        _steps.KeysDone();
        // NOT VALID: no check yet, and the referenced tables are held (SHARE ROW EXCLUSIVE) only until this commit, in
        // their name order (lastfm_users, then tracks), the order in which a fetch writes them.
        foreach (var (_, statement) in like.Where(s => s.Kind == StagedTableSwap.ForeignKey))
        {
            await StagedTableSwap.ExecuteAsync(_connection, statement + " NOT VALID", _timeout, ct);
        }

        await _transaction.CommitAsync(ct);
        // Each foreign key checked by one join, holding SHARE UPDATE EXCLUSIVE on this part only: the parts validate side by side.
        foreach (var foreignKey in await StagedTableSwap.ForeignKeysAsync(_connection, Name, ct))
        {
            await StagedTableSwap.ExecuteAsync(_connection, $"ALTER TABLE {Name} VALIDATE CONSTRAINT {foreignKey}", _timeout, ct);
        }

        _steps.ForeignKeysDone();
        await StagedTableSwap.ExecuteAsync(_connection, $"ANALYZE {Name}", _timeout, ct);
        _steps.AnalyzeDone();
    }
}
