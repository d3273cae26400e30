using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Tastebuds.Worker.Database;
using Tastebuds.Worker.Lastfm;

namespace Tastebuds.Worker.Fetching;

/// <summary>
/// One fetch run at a time per Last.fm API key across every process on the database: an <see cref="AdvisoryLock"/>
/// keyed by a hash of the key (never the key itself), held for the run. The per-process rate limiter is then the whole
/// budget of the key: the scheduled fetch (one node at a time, <c>[DisallowConcurrentExecution]</c> cluster-wide) and
/// the <c>fetch</c> verb never overlap. A database restart ends the session and the lock with it: the run takes it
/// again with <see cref="AdvisoryLock.RenewAsync"/> before its next request.
/// </summary>
public sealed class FetchLock(NpgsqlDataSource dataSource, IOptions<LastfmOptions> lastfm, ILogger<FetchLock> logger)
{
    /// <summary>The advisory lock key of an API key: the first 8 bytes of SHA-256 over a fixed prefix and the key.</summary>
    public static long KeyFor(string apiKey) =>
        BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes("tastebuds/fetch/" + apiKey)));

    /// <summary>Takes the lock; when another run holds it, waits (<paramref name="wait"/>) or throws <see cref="FetchRunInProgressException"/>.</summary>
    public async Task<AdvisoryLock> AcquireAsync(bool wait, CancellationToken ct)
    {
        var key = KeyFor(lastfm.Value.ApiKey);
        return wait
            ? await AdvisoryLock.WaitForeverAsync(dataSource, key, () => FetchingLog.WaitingForFetchLock(logger), ct)
            : await AdvisoryLock.TryAcquireAsync(dataSource, key, ct) ?? throw new FetchRunInProgressException();
    }
}

/// <summary>Another fetch run with the same API key holds the fetch lock (the daemon's scheduled fetch or another verb).</summary>
public sealed class FetchRunInProgressException()
    : Exception("Another fetch run with the same Last.fm API key is in progress (the daemon's scheduled fetch or another "
                + "'fetch'); running both would exceed the key's request budget. Try again when it has finished.");
