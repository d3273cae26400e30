using Microsoft.Extensions.Logging.Abstractions;
using Tastebuds.Worker.Database;

namespace Tastebuds.Tests.Support;

/// <summary>
/// The PostgreSQL the suite runs against: <c>TASTEBUDS_TEST_POSTGRES</c> (a superuser connection string) when set,
/// otherwise a throwaway cluster started once from the machine's binaries with the worker's own helper.
/// There is no skipping: without PostgreSQL, database tests fail with the reason.
/// </summary>
public static class TestPostgres
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _adminConnectionString;
    private static EmbeddedPostgres? _cluster;
    private static string? _clusterDirectory;

    /// <summary>Server settings of a throwaway cluster: durability buys nothing here and costs seconds.</summary>
    internal static readonly IReadOnlyDictionary<string, string> ThrowawaySettings = new Dictionary<string, string>
    {
        ["fsync"] = "off",
        ["synchronous_commit"] = "off",
        ["full_page_writes"] = "off",
        ["max_connections"] = "300",
    };

    public static async Task<string> AdminConnectionStringAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_adminConnectionString is not null)
            {
                return _adminConnectionString;
            }

            var configured = Environment.GetEnvironmentVariable("TASTEBUDS_TEST_POSTGRES");
            if (!string.IsNullOrWhiteSpace(configured))
            {
                _adminConnectionString = configured;
                return configured;
            }

            _clusterDirectory = Path.Combine(Path.GetTempPath(), $"tastebuds-tests-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
            _cluster = await EmbeddedPostgres.StartAsync(
                new EmbeddedPostgresOptions { DataDirectory = _clusterDirectory },
                NullLogger.Instance,
                CancellationToken.None,
                ThrowawaySettings);
            _adminConnectionString = _cluster.Build("postgres");
            return _adminConnectionString;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>A new empty database; migrated with the worker's real migrator unless <paramref name="migrate"/> is false.</summary>
    public static async Task<TestDatabase> CreateDatabaseAsync(bool migrate = true) =>
        await TestDatabase.CreateAsync(await AdminConnectionStringAsync(), migrate);

    internal static async Task StopAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.StopAsync();
            _cluster = null;
            try
            {
                Directory.Delete(_clusterDirectory!, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: the folder is under /tmp.
            }
        }
    }
}
