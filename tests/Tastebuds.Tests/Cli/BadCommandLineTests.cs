using Tastebuds.Sandbox;
using Tastebuds.Tests.Support;

namespace Tastebuds.Tests.Cli;

/// <summary>
/// Bad option values, run as the real binary: the parse fails, the help is printed with the error, exit 2, and the verb
/// never starts: no Last.fm request, no database connection.
/// </summary>
[NonParallelizable]
public sealed class BadCommandLineTests
{
    /// <summary>Never reached: a rejected command line does not connect.</summary>
    private static readonly Dictionary<string, string?> Unreachable = new()
    {
        ["ConnectionStrings__Postgres"] = "Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none;Timeout=2",
    };

    private SandboxServer _sandbox = null!;
    private TestDatabase _db = null!;

    [OneTimeSetUp]
    public async Task StartSandboxAndAnEmptyDatabase()
    {
        _sandbox = await SandboxServer.StartAsync(new SandboxOptions { Users = 3, Seed = 31 });
        _db = await TestPostgres.CreateDatabaseAsync(migrate: false);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _db.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    [TestCase("")]
    [TestCase("   ")]
    public async Task Fetch_with_an_empty_or_blank_user_exits_2_with_the_help_before_any_request_or_database_write(string user)
    {
        var result = await WorkerProcess.RunAsync(["fetch", "--user", user], OperatorVerbTests.SandboxEnvironment(_sandbox, _db, "cli-test-key"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.Stderr);
            Assert.That(result.Stderr, Does.Contain("--user must not be empty or white space."));
            Assert.That(result.Stdout, Does.Contain("Usage:").And.Contain("--user"), "the help is printed with the error");
            Assert.That(_sandbox.RequestLog.Count, Is.Zero, "no Last.fm request");
            Assert.That(await _db.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), Is.Zero,
                "not even the migrations ran");
        }
    }

    [TestCase("recommend --user rj --limit 1001", "--limit must be between 1 and 1000, not 1001.")]
    [TestCase("similar --user rj --limit 0", "--limit must be between 1 and 1000, not 0.")]
    [TestCase("status --limit -1", "--limit must be between 0 and 1000, not -1.")]
    [TestCase("status --limit 5000", "--limit must be between 0 and 1000, not 5000.")]
    [TestCase("status --limit abc", "Cannot parse argument 'abc' for option '--limit'")]
    [TestCase("status --stale-after 1e300d", "--stale-after: '1e300d' is not an age")]
    [TestCase("status --stale-after 4000d", "--stale-after: '4000d' is not an age")]
    [TestCase("evaluate --users 0", "--users must be between 1 and 5000, not 0.")]
    [TestCase("evaluate --users 100000", "--users must be between 1 and 5000, not 100000.")]
    [TestCase("evaluate --k 0", "--k must be between 1 and 1000, not 0.")]
    [TestCase("evaluate --k abc", "Cannot parse argument 'abc' for option '--k'")]
    [TestCase("evaluate --holdout NaN", "--holdout must be between 0 and 1 (exclusive), not NaN.")]
    [TestCase("evaluate --holdout 1", "--holdout must be between 0 and 1 (exclusive), not 1.")]
    public async Task An_option_value_out_of_its_range_exits_2_with_the_error_and_the_help(string commandLine, string error)
    {
        var result = await WorkerProcess.RunAsync(commandLine.Split(' '), Unreachable);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.Stderr);
            Assert.That(result.Stderr, Does.Contain(error));
            Assert.That(result.Stdout, Does.Contain("Usage:"));
        }
    }

    [TestCase("recommend")]
    [TestCase("similar")]
    public async Task Recommend_and_similar_with_a_blank_user_exit_2_with_the_help(string verb)
    {
        var result = await WorkerProcess.RunAsync([verb, "--user", " "], Unreachable);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.Stderr);
            Assert.That(result.Stderr, Does.Contain("--user must not be empty or white space."));
            Assert.That(result.Stdout, Does.Contain("Usage:"));
        }
    }

    [Test]
    public async Task The_help_states_the_ranges()
    {
        var recommend = await WorkerProcess.RunAsync(["recommend", "--help"]);
        var status = await WorkerProcess.RunAsync(["status", "--help"]);
        var evaluate = await WorkerProcess.RunAsync(["evaluate", "--help"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(OneLine(recommend.Stdout), Does.Contain("Most recommendations to show, 1 to 1000."));
            Assert.That(OneLine(status.Stdout), Does.Contain("0 to 1000; 0 lists none.").And.Contain("at most 3650d"));
            Assert.That(OneLine(evaluate.Stdout), Does.Contain("1 to 5000.").And.Contain("between 0 and 1 (exclusive)"));
        }
    }

    /// <summary>Help text wraps at the console width; compare it as one line.</summary>
    private static string OneLine(string text) => string.Join(' ', text.Split('\n').Select(l => l.Trim()));
}
