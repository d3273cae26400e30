using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Polly;
using Polly.Retry;

namespace Tastebuds.Worker.Database;

/// <summary>
/// Waits out a database outage: an operation that fails with a transient database error (<see cref="IsTransient"/>)
/// is retried with exponential backoff (1 s, doubling, at most 10 s apart) until <c>Database:OutageTolerance</c> has
/// passed since its first failure; then <see cref="DatabaseOutageException"/>. The operation must be safe to repeat
/// (a whole transaction, an idempotent write).
/// </summary>
public sealed class DatabaseOutage
{
    private static readonly ResiliencePropertyKey<long> FirstFailure = new("tastebuds.database.first_failure");

    private readonly TimeSpan _tolerance;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline _pipeline;
    private long _interruptions;

    public DatabaseOutage(IOptions<DatabaseOptions> options, TimeProvider time, ILogger<DatabaseOutage> logger)
    {
        _tolerance = options.Value.OutageTolerance;
        _time = time;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromSeconds(1),
                MaxDelay = TimeSpan.FromSeconds(10),
                UseJitter = false,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && IsTransient(e) && WithinTolerance(args.Context)),
                OnRetry = args =>
                {
                    Interlocked.Increment(ref _interruptions);
                    DatabaseLog.WaitingForDatabase(logger, Describe(args.Outcome.Exception!), args.RetryDelay.TotalSeconds,
                        (_time.GetUtcNow().UtcTicks - args.Context.Properties.GetValue(FirstFailure, 0)) / (double)TimeSpan.TicksPerSecond,
                        _tolerance);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary>How many failed attempts were waited out so far: a change tells a caller that sessions may have been lost.</summary>
    public long Interruptions => Interlocked.Read(ref _interruptions);

    /// <summary>The tolerance in force (for messages).</summary>
    public TimeSpan Tolerance => _tolerance;

    /// <summary>Runs <paramref name="operation"/>, retrying it through an outage; <paramref name="what"/> names it in the final error.</summary>
    public async Task<T> ExecuteAsync<T>(string what, Func<CancellationToken, Task<T>> operation, CancellationToken ct)
    {
        var context = ResilienceContextPool.Shared.Get(ct);
        try
        {
            return await _pipeline.ExecuteAsync(async c => await operation(c.CancellationToken), context);
        }
        catch (Exception e) when (IsTransient(e))
        {
            throw new DatabaseOutageException(what, _tolerance, e);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    public Task ExecuteAsync(string what, Func<CancellationToken, Task> operation, CancellationToken ct) =>
        ExecuteAsync(what, async c =>
        {
            await operation(c);
            return true;
        }, ct);

    /// <summary>
    /// A failure that another attempt may not meet: Npgsql's own <c>IsTransient</c> (broken connections, timeouts,
    /// connection refused), the server shutting down or starting (57P01, 57P02, 57P03), and connection errors (class 08).
    /// </summary>
    public static bool IsTransient(Exception e) => e switch
    {
        PostgresException pg => pg.IsTransient || pg.SqlState is "57P01" or "57P02" or "57P03" || pg.SqlState.StartsWith("08", StringComparison.Ordinal),
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is System.Net.Sockets.SocketException or IOException,
        System.Net.Sockets.SocketException => true,
        _ => false,
    };

    private bool WithinTolerance(ResilienceContext context)
    {
        var now = _time.GetUtcNow().UtcTicks;
        if (!context.Properties.TryGetValue(FirstFailure, out var first))
        {
            context.Properties.Set(FirstFailure, now);
            first = now;
        }

        return now - first < _tolerance.Ticks;
    }

    private static string Describe(Exception e) => e is PostgresException pg ? $"{pg.SqlState}: {pg.MessageText}" : e.Message;
}

/// <summary>The database stayed unreachable for longer than <c>Database:OutageTolerance</c>.</summary>
public sealed class DatabaseOutageException : Exception
{
    public DatabaseOutageException(string what, TimeSpan tolerance, Exception inner)
        : base($"The database was unavailable for longer than Database:OutageTolerance ({tolerance:c}) while {what}: {inner.Message}", inner)
    {
    }

    public DatabaseOutageException() : base("The database was unavailable for longer than Database:OutageTolerance.")
    {
    }

    public DatabaseOutageException(string message) : base(message)
    {
    }

    public DatabaseOutageException(string message, Exception inner) : base(message, inner)
    {
    }
}
