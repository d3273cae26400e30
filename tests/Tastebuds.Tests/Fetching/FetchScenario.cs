using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tastebuds.Sandbox;
using Tastebuds.Tests.Support;
using Tastebuds.Worker.Cli;
using Tastebuds.Worker.Fetching;

namespace Tastebuds.Tests.Fetching;

/// <summary>A real sandbox on loopback, a real migrated database, and the worker's real host pointed at both.</summary>
internal sealed class FetchScenario : IAsyncDisposable
{
    public const string ApiKey = "test-key-5f1d7c0ffee";

    private readonly bool _ownsDatabase;

    private FetchScenario(SandboxServer sandbox, TestDatabase database, IHost host, CapturingLoggerProvider logs, bool ownsDatabase)
    {
        Sandbox = sandbox;
        Database = database;
        Host = host;
        Logs = logs;
        _ownsDatabase = ownsDatabase;
    }

    public SandboxServer Sandbox { get; }

    public TestDatabase Database { get; }

    public IHost Host { get; }

    public CapturingLoggerProvider Logs { get; }

    public static async Task<FetchScenario> StartAsync(
        SandboxOptions sandboxOptions,
        IEnumerable<string>? users = null,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null,
        TestDatabase? database = null)
    {
        var sandbox = await SandboxServer.StartAsync(sandboxOptions);
        var ownsDatabase = database is null;
        database ??= await TestPostgres.CreateDatabaseAsync();
        var all = new Dictionary<string, string?>
        {
            ["Lastfm:BaseUrl"] = sandbox.BaseUrl.ToString(),
            ["Lastfm:ApiKey"] = ApiKey,
            ["Lastfm:RetryBaseDelay"] = "00:00:00.010",
            ["Lastfm:RetryMaxDelay"] = "00:00:00.300",
            ["Lastfm:RequestTimeout"] = "00:00:01",
            ["RateLimiting:MaxRequestsPerMinute"] = "100000",
            ["RateLimiting:DelayBetweenUsers"] = "00:00:00",
            // Production fetches no personal tags by default (README: what they cost and buy); the tests keep the tag path exercised.
            ["FetchLimits:TagsPerUser"] = "5",
            ["Logging:LogLevel:Default"] = "Debug",
            // Everything reaches the capturing provider; the console stays quiet.
            ["Logging:Console:LogLevel:Default"] = "Warning",
        };
        var names = (users ?? sandbox.World.Users.Select(u => u.Name)).ToList();
        for (var i = 0; i < names.Count; i++)
        {
            all[$"Lastfm:Users:{i}"] = names[i];
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var logs = new CapturingLoggerProvider();
        var host = database.BuildHost(all, s =>
        {
            s.AddSingleton<ILoggerProvider>(logs);
            services?.Invoke(s);
        });
        await WorkerHost.PrepareAsync(host, CancellationToken.None);
        return new FetchScenario(sandbox, database, host, logs, ownsDatabase);
    }

    public FetchRunner Runner => Host.Services.GetRequiredService<FetchRunner>();

    public Task<FetchRunResult> FetchAsync(CancellationToken ct = default) => Runner.RunAsync(null, null, ct);

    public async ValueTask DisposeAsync()
    {
        Host.Dispose();
        await Sandbox.DisposeAsync();
        if (_ownsDatabase)
        {
            await Database.DisposeAsync();
        }
    }
}
