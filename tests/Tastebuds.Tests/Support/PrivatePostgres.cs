using Microsoft.Extensions.Logging.Abstractions;
using Tastebuds.Worker.Database;

namespace Tastebuds.Tests.Support;

/// <summary>
/// A PostgreSQL cluster of one test's own, for tests that stop the server: the suite's shared one (<see cref="TestPostgres"/>)
/// must stay up for the tests running beside them. Started with the worker's own helper in a temporary folder; stopped
/// and the folder deleted on dispose.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly EmbeddedPostgresOptions _options;
    private EmbeddedPostgres? _server;

    private PrivatePostgres(EmbeddedPostgresOptions options, EmbeddedPostgres server)
    {
        _options = options;
        _server = server;
    }

    public int Port => Server.Port;

    private EmbeddedPostgres Server => _server ?? throw new InvalidOperationException("The private PostgreSQL is stopped.");

    public static async Task<PrivatePostgres> StartAsync()
    {
        var options = new EmbeddedPostgresOptions
        {
            DataDirectory = Path.Combine(Path.GetTempPath(), $"tastebuds-private-{Environment.ProcessId}-{Guid.NewGuid():N}"[..42]),
        };
        return new PrivatePostgres(options, await StartServerAsync(options));
    }

    /// <summary>
    /// A new database on this cluster, migrated unless <paramref name="migrate"/> is false. Not dropped on dispose: the
    /// cluster goes whole, and may be stopped by then (a test that failed during an outage).
    /// </summary>
    public async Task<TestDatabase> CreateDatabaseAsync(bool migrate = true) =>
        await TestDatabase.CreateAsync(Server.Build("postgres"), migrate, dropOnDispose: false);

    /// <summary><c>pg_ctl stop -m fast</c>: sessions are ended and active transactions roll back, as in a server restart.</summary>
    public async Task StopAsync()
    {
        await Server.StopAsync();
        _server = null;
    }

    /// <summary>Starts the stopped server again on the same port and data folder.</summary>
    public async Task StartAgainAsync() => _server = await StartServerAsync(_options);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.StopAsync();
        }

        try
        {
            Directory.Delete(_options.DataDirectory!, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the folder is under /tmp.
        }
    }

    private static Task<EmbeddedPostgres> StartServerAsync(EmbeddedPostgresOptions options) =>
        EmbeddedPostgres.StartAsync(options, NullLogger.Instance, CancellationToken.None, TestPostgres.ThrowawaySettings);
}
