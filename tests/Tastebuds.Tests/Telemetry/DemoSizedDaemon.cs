using System.Globalization;
using System.Text.RegularExpressions;
using Tastebuds.Sandbox;
using Tastebuds.Sandbox.Faults;
using Tastebuds.Tests.Cli;
using Tastebuds.Tests.Support;

namespace Tastebuds.Tests.Telemetry;

/// <summary>
/// The daemon as a separate process on a ~30-user sandbox (a few private and unknown users, a few transient failures
/// so that errors and retries are counted too), with the fetch firing every two seconds; started and waited for until
/// its operations listener says which port it took. The scrape tests and the real-Prometheus test share it.
/// </summary>
internal sealed partial class DemoSizedDaemon : IAsyncDisposable
{
    private DemoSizedDaemon(SandboxServer sandbox, TestDatabase database, WorkerProcess worker)
    {
        Sandbox = sandbox;
        Database = database;
        Worker = worker;
    }

    public SandboxServer Sandbox { get; }

    public TestDatabase Database { get; }

    public WorkerProcess Worker { get; }

    public int Port { get; private set; }

    public static async Task<DemoSizedDaemon> StartAsync(string apiKey)
    {
        var sandbox = await SandboxServer.StartAsync(new SandboxOptions
        {
            Users = 30, Seed = 21, PrivateUserFraction = 0.1, MissingUsernames = 2,
            FaultRates = new Dictionary<SandboxFaultKind, double> { [SandboxFaultKind.Http500] = 0.03 }, MaxConsecutiveFaults = 1,
        });
        var db = await TestPostgres.CreateDatabaseAsync();
        var environment = OperatorVerbTests.SandboxEnvironment(sandbox, db, apiKey);
        environment["Schedules__FetchUsers"] = "0/2 * * * * ?";
        // The listener's "Serving ... on address:port" line tells the test the ephemeral port.
        environment["Logging__LogLevel__Tastebuds.Worker.Telemetry.TelemetryListener"] = "Information";
        var daemon = new DemoSizedDaemon(sandbox, db, WorkerProcess.Start([], environment));
        await Eventually.WaitUntilAsync(() => (daemon.Port = ListeningPort(daemon.Worker.StandardError)) > 0,
            TimeSpan.FromSeconds(30), "the listener's port in the log");
        return daemon;
    }

    /// <summary>Until fetch, similarities and recommendations have each succeeded once.</summary>
    public Task EveryStageSucceededAsync() =>
        Eventually.WaitUntilAsync(async () => await Database.ScalarAsync<long>(
            "SELECT count(DISTINCT job_type) FROM data_fetch_logs WHERE status = 'succeeded' AND job_type <> 'fetch_user'") == 3,
            TimeSpan.FromSeconds(60), "fetch, similarities and recommendations succeeded once");

    public async ValueTask DisposeAsync()
    {
        Worker.Dispose();
        await Database.DisposeAsync();
        await Sandbox.DisposeAsync();
    }

    private static int ListeningPort(string log)
    {
        var match = ServingOn().Match(log);
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    [GeneratedRegex(@"Serving /metrics, /health/live and /health/ready on 127\.0\.0\.1:(\d+)")]
    private static partial Regex ServingOn();
}
