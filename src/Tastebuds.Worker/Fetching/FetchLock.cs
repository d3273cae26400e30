using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Tastebuds.Worker.Lastfm;

namespace Tastebuds.Worker.Fetching;

/// <summary>
/// One fetch run at a time per Last.fm API key across every process on the database: a PostgreSQL session
/// advisory lock keyed by a hash of the key (never the key itself), held on its own connection for the run.
/// The per-process rate limiter is then the whole budget of the key: the scheduled fetch (one node at a time,
/// <c>[DisallowConcurrentExecution]</c> cluster-wide) and the <c>fetch</c> verb never overlap. A process that
/// dies loses its connection, and PostgreSQL releases the lock.
/// </summary>
public sealed class FetchLock(NpgsqlDataSource dataSource, IOptions<LastfmOptions> lastfm, ILogger<FetchLock> logger)
{
    /// <summary>The advisory lock key of an API key: the first 8 bytes of SHA-256 over a fixed prefix and the key.</summary>
    public static long KeyFor(string apiKey) =>
        BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes("tastebuds/fetch/" + apiKey)));

    /// <summary>Takes the lock; when another run holds it, waits (<paramref name="wait"/>) or throws <see cref="FetchRunInProgressException"/>.</summary>
    public async Task<Lease> AcquireAsync(bool wait, CancellationToken ct)
    {
        var key = KeyFor(lastfm.Value.ApiKey);
        var connection = await dataSource.OpenConnectionAsync(ct);
        try
        {
            if (!await TryLockAsync(connection, key, ct))
            {
                if (!wait)
                {
                    throw new FetchRunInProgressException();
                }

                FetchingLog.WaitingForFetchLock(logger);
                await using var blocking = new NpgsqlCommand("SELECT pg_advisory_lock($1)", connection)
                {
                    Parameters = { new() { Value = key } },
                    CommandTimeout = 0,
                };
                await blocking.ExecuteNonQueryAsync(ct);
            }

            return new Lease(dataSource, connection, key);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static async Task<bool> TryLockAsync(NpgsqlConnection connection, long key, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection)
        {
            Parameters = { new() { Value = key } },
        };
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The lock while a run holds it. A database restart ends the session and the lock with it: see <see cref="RenewAsync"/>.</summary>
    public sealed class Lease(NpgsqlDataSource dataSource, NpgsqlConnection connection, long key) : IAsyncDisposable
    {
        /// <summary>
        /// After a database outage: true when the lock is still held, or was taken again on a new session (nobody took it
        /// meanwhile); false when another run holds it now. A transient failure is thrown, for the caller's outage policy.
        /// </summary>
        public async Task<bool> RenewAsync(CancellationToken ct)
        {
            try
            {
                await using var probe = new NpgsqlCommand("SELECT 1", connection);
                await probe.ExecuteScalarAsync(ct);
                return true;
            }
            catch (NpgsqlException e) when (Database.DatabaseOutage.IsTransient(e) || connection.State != System.Data.ConnectionState.Open)
            {
                // The session is gone, and the lock with it.
            }

            await connection.DisposeAsync();
            connection = await dataSource.OpenConnectionAsync(ct);
            return await TryLockAsync(connection, key, ct);
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", connection)
                {
                    Parameters = { new() { Value = key } },
                };
                await unlock.ExecuteNonQueryAsync(CancellationToken.None);
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
            {
                // The connection is gone, and with it the lock.
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }
    }
}

/// <summary>Another fetch run with the same API key holds the fetch lock (the daemon's scheduled fetch or another verb).</summary>
public sealed class FetchRunInProgressException()
    : Exception("Another fetch run with the same Last.fm API key is in progress (the daemon's scheduled fetch or another "
                + "'fetch'); running both would exceed the key's request budget. Try again when it has finished.");
