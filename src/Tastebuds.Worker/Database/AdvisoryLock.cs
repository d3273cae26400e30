using System.Data;
using Npgsql;

namespace Tastebuds.Worker.Database;

/// <summary>
/// A PostgreSQL session advisory lock, held on a connection of its own from the data source for as long as it is held:
/// the lock belongs to the session, so the connection must neither be shared nor go back to the pool while locked.
/// Disposing unlocks; a process that dies loses its session, and PostgreSQL releases the lock.
/// </summary>
public sealed class AdvisoryLock : IAsyncDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private readonly NpgsqlDataSource _dataSource;
    private NpgsqlConnection _connection;

    private AdvisoryLock(NpgsqlDataSource dataSource, NpgsqlConnection connection, long key)
    {
        _dataSource = dataSource;
        _connection = connection;
        Key = key;
    }

    public long Key { get; }

    /// <summary>Takes the lock if it is free; null when another session holds it.</summary>
    public static Task<AdvisoryLock?> TryAcquireAsync(NpgsqlDataSource dataSource, long key, CancellationToken ct) =>
        AcquireAsync(dataSource, key, (_, _) => Task.FromResult(false), ct);

    /// <summary>
    /// Takes the lock, polling every 200 ms while another session holds it (<paramref name="waiting"/> is called once,
    /// for a log line); null when it is still held after <paramref name="timeout"/>.
    /// </summary>
    public static Task<AdvisoryLock?> WaitAsync(
        NpgsqlDataSource dataSource, long key, TimeSpan timeout, TimeProvider time, Action waiting, CancellationToken ct) =>
        AcquireAsync(dataSource, key, async (connection, ct) =>
        {
            waiting();
            var deadline = time.GetUtcNow() + timeout;
            while (time.GetUtcNow() <= deadline)
            {
                await Task.Delay(PollInterval, time, ct);
                if (await TryLockAsync(connection, key, ct))
                {
                    return true;
                }
            }

            return false;
        }, ct);

    /// <summary>Takes the lock, waiting as long as another session holds it (<paramref name="waiting"/> is called once, for a log line).</summary>
    public static async Task<AdvisoryLock> WaitForeverAsync(NpgsqlDataSource dataSource, long key, Action waiting, CancellationToken ct) =>
        (await AcquireAsync(dataSource, key, async (connection, ct) =>
        {
            waiting();
            // The server queues the session until the holder lets go: no polling, no timeout (the token cancels it).
            await using var blocking = new NpgsqlCommand("SELECT pg_advisory_lock($1)", connection)
            {
                Parameters = { new() { Value = key } },
                CommandTimeout = 0,
            };
            await blocking.ExecuteNonQueryAsync(ct);
            return true;
        }, ct))!;

    /// <summary>
    /// After a database outage: true when the lock is still held, or was taken again on a new session (nobody took it
    /// meanwhile); false when another session holds it now. A transient failure is thrown, for the caller's outage policy.
    /// </summary>
    public async Task<bool> RenewAsync(CancellationToken ct)
    {
        try
        {
            await using var probe = new NpgsqlCommand("SELECT 1", _connection);
            await probe.ExecuteScalarAsync(ct);
            return true;
        }
        catch (NpgsqlException e) when (DatabaseOutage.IsTransient(e) || _connection.State != ConnectionState.Open)
        {
            // The session is gone, and the lock with it.
        }

        await _connection.DisposeAsync();
        _connection = await _dataSource.OpenConnectionAsync(ct);
        return await TryLockAsync(_connection, Key, ct);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", _connection)
            {
                Parameters = { new() { Value = Key } },
            };
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            // The connection is gone, and with it the lock.
        }
        finally
        {
            await _connection.DisposeAsync();
        }
    }

    /// <summary>One try, then <paramref name="whenBusy"/> (which may wait) if another session holds the lock.</summary>
    private static async Task<AdvisoryLock?> AcquireAsync(
        NpgsqlDataSource dataSource, long key, Func<NpgsqlConnection, CancellationToken, Task<bool>> whenBusy, CancellationToken ct)
    {
        var connection = await dataSource.OpenConnectionAsync(ct);
        try
        {
            if (await TryLockAsync(connection, key, ct) || await whenBusy(connection, ct))
            {
                return new AdvisoryLock(dataSource, connection, key);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        await connection.DisposeAsync();
        return null;
    }

    private static async Task<bool> TryLockAsync(NpgsqlConnection connection, long key, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection)
        {
            Parameters = { new() { Value = key } },
        };
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }
}
