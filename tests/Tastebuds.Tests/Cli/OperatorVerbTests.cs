using System.Diagnostics;
using System.Globalization;
using Tastebuds.Sandbox;
using Tastebuds.Tests.Support;

namespace Tastebuds.Tests.Cli;

/// <summary>
/// Each verb, run as the real binary against one migrated database and a sandbox started here: its --help, then the verb,
/// whose output must carry what the help promises. The tests run in order: status reads what the verbs before it did.
/// </summary>
[NonParallelizable]
public sealed class OperatorVerbTests
{
    private SandboxServer _sandbox = null!;
    private TestDatabase _db = null!;
    private Dictionary<string, string?> _environment = null!;
    private string[] _private = null!;
    private string[] _missing = null!;

    [OneTimeSetUp]
    public async Task StartSandboxAndDatabase()
    {
        _sandbox = await SandboxServer.StartAsync(new SandboxOptions { Users = 24, Seed = 11, PrivateUserFraction = 0.1, MissingUsernames = 2 });
        _db = await TestPostgres.CreateDatabaseAsync();
        _private = _sandbox.World.Users.Where(u => u.IsPrivate).Select(u => u.Name).ToArray();
        _missing = _sandbox.World.MissingUsernames.ToArray();
        _environment = SandboxEnvironment(_sandbox, _db, "cli-test-key");
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _db.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    /// <summary>The settings a verb gets: the sandbox as Last.fm (no rate limit), its users and unknown names, the test database.</summary>
    internal static Dictionary<string, string?> SandboxEnvironment(SandboxServer sandbox, TestDatabase db, string apiKey)
    {
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = db.ConnectionString,
            ["Lastfm__BaseUrl"] = sandbox.BaseUrl.ToString(),
            ["Lastfm__ApiKey"] = apiKey,
            ["Lastfm__RetryBaseDelay"] = "00:00:00.010",
            ["Lastfm__RetryMaxDelay"] = "00:00:00.100",
            ["RateLimiting__MaxRequestsPerMinute"] = "100000",
            ["RateLimiting__DelayBetweenUsers"] = "00:00:00",
        };
        var names = sandbox.World.Users.Select(u => u.Name).Concat(sandbox.World.MissingUsernames).ToList();
        for (var i = 0; i < names.Count; i++)
        {
            environment[$"Lastfm__Users__{i}"] = names[i];
        }

        return environment;
    }

    [Test, Order(1)]
    public async Task Migrate_on_a_migrated_database_says_the_schema_is_up_to_date_as_its_help_says_it_prints_what_it_applied()
    {
        var (help, run) = await HelpThenRunAsync("migrate");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(help, Does.Contain("print the scripts applied"));
            Assert.That(run.ExitCode, Is.Zero, run.Stderr);
            Assert.That(run.Stdout, Does.Contain("the schema is up to date").And.Contain("Schema version:"));
        }
    }

    [Test, Order(2)]
    public async Task Fetch_prints_its_summary_line_without_a_progress_bar_when_not_on_a_terminal_and_exits_0_with_skipped_users()
    {
        var (help, run) = await HelpThenRunAsync("fetch");
        var users = _sandbox.World.Users.Count + _missing.Length;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(help, Does.Contain("--user").And.Contain("Fetched N user(s)").And.Contain("5 when any user failed").And.Contain("migrations"));
            Assert.That(run.ExitCode, Is.Zero, run.Stderr);
            Assert.That(run.Stdout, Does.Match($@"Fetched {users} user\(s\): {users - _private.Length - _missing.Length} succeeded, {_private.Length + _missing.Length} skipped, 0 failed; \d+ requests"));
            Assert.That(run.Stdout, Does.Not.Contain("\u001b[").And.Not.Contain("fetching users"), "no progress bar, no ANSI codes in a pipe");
            Assert.That(_private, Is.Not.Empty, "the world has private users");
        }
    }

    [Test, Order(3)]
    public async Task Status_after_a_fetch_shows_the_fetch_run_and_the_skipped_users_with_their_Last_fm_codes()
    {
        var (help, run) = await HelpThenRunAsync("status", "--limit", "5");
        var stale = Section(run.Stdout, "Stale or failing users");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(help, Does.Contain("--limit").And.Contain("--stale-after").And.Contain("Last runs").And.Contain("Stale or failing users"));
            Assert.That(run.ExitCode, Is.Zero, run.Stderr);
            Assert.That(TableHeader(run.Stdout, "Last runs"), Is.EqualTo(new[] { "job", "status", "started", "duration", "counts", "error" }));
            Assert.That(Row(run.Stdout, "Last runs", "fetch_users"), Does.Contain("succeeded").And.Contain($"users {_sandbox.World.Users.Count + _missing.Length}:"));
            Assert.That(Row(run.Stdout, "Last runs", "recalculate_similarities"), Does.Contain("never run"));
            Assert.That(TableHeader(run.Stdout, "Users"), Is.EqualTo(new[]
                { "user", "active", "last fetched", "plays", "tracks", "loved", "albums", "artists", "neighbours", "recommendations" }));
            Assert.That(run.Stdout, Does.Match(@"Users: 5 of \d+, most plays first"));
            Assert.That(TableRows(run.Stdout, "Users"), Is.EqualTo(5));
            Assert.That(TableHeader(run.Stdout, "Stale or failing users"),
                Is.EqualTo(new[] { "user", "reason", "last attempt", "last status", "last fetched", "error" }));
            foreach (var name in _private)
            {
                Assert.That(stale, Does.Contain(name).And.Contain("skipped: private profile (17)"));
            }

            foreach (var name in _missing)
            {
                Assert.That(stale, Does.Contain(name).And.Contain("skipped: user not found (6)"));
            }

            Assert.That(TableRows(run.Stdout, "Stale or failing users"), Is.EqualTo(_private.Length + _missing.Length),
                "users fetched just now are neither stale nor failing");
        }
    }

    [Test, Order(4)]
    public async Task Status_with_a_short_stale_after_lists_every_user_as_stale()
    {
        await Task.Delay(1100);
        var run = await WorkerProcess.RunAsync(["status", "--stale-after", "1s"], _environment);
        var bad = await WorkerProcess.RunAsync(["status", "--stale-after", "soon"], _environment);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.Zero, run.Stderr);
            Assert.That(TableRows(run.Stdout, "Stale or failing users"), Is.EqualTo(_sandbox.World.Users.Count + _missing.Length));
            Assert.That(Section(run.Stdout, "Stale or failing users"), Does.Contain("not fetched for ").And.Contain("more than 1 seconds"));
            Assert.That(bad.ExitCode, Is.EqualTo(2), "a bad command line is a configuration error");
            Assert.That(bad.Stderr + bad.Stdout, Does.Contain("is not an age such as 14d"));
        }
    }

    [Test, Order(5)]
    public async Task Run_once_prints_a_summary_line_per_stage_and_status_then_shows_every_job_succeeded()
    {
        var (help, run) = await HelpThenRunAsync("run-once");
        var status = await WorkerProcess.RunAsync(["status", "--limit", "3"], _environment);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(help, Does.Contain("'Fetched ...', 'Similarities: ...', 'Recommendations: ...'").And.Contain("stops before similarities"));
            Assert.That(run.ExitCode, Is.Zero, run.Stderr);
            Assert.That(Lines(run.Stdout).Where(l => l.Length > 0).Select(l => l.Split(' ')[0]),
                Is.EqualTo(new[] { "Fetched", "Similarities:", "Recommendations:" }), "one line per stage, in order, and nothing else");
            Assert.That(run.Stdout, Does.Match(@"Similarities: \d+ users, [\d,]+ pairs evaluated, [\d,]+ neighbours written"));
            Assert.That(run.Stdout, Does.Match(@"Recommendations: [\d,]+ written for \d+ of \d+ users"));
            Assert.That(status.ExitCode, Is.Zero, status.Stderr);
            foreach (var job in new[] { "fetch_users", "fetch_user", "recalculate_similarities", "generate_recommendations" })
            {
                Assert.That(Row(status.Stdout, "Last runs", job), Does.Contain("succeeded").Or.Contain("skipped").Or.Contain("unchanged"), job);
            }

            Assert.That(Row(status.Stdout, "Last runs", "recalculate_similarities"), Does.Match(@"\d+ users, [\d,]+ pairs, [\d,]+ neighbours"));
            Assert.That(Row(status.Stdout, "Last runs", "generate_recommendations"), Does.Match(@"[\d,]+ recommendations for \d+ users \(hybrid\)"), "the default method");
        }
    }

    [Test, Order(6)]
    public async Task Similarities_and_recommendations_print_the_summary_line_their_help_describes()
    {
        var (similaritiesHelp, similarities) = await HelpThenRunAsync("similarities");
        var (recommendationsHelp, recommendations) = await HelpThenRunAsync("recommendations");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(similaritiesHelp, Does.Contain("'Similarities: N users, P pairs evaluated, R neighbours written"));
            Assert.That(similarities.ExitCode, Is.Zero, similarities.Stderr);
            Assert.That(similarities.Stdout, Does.Match(@"^Similarities: \d+ users, [\d,]+ pairs evaluated, [\d,]+ neighbours written \(cosine [\d,]+, jaccard [\d,]+, pearson [\d,]+\)"));
            Assert.That(recommendationsHelp, Does.Contain("'Recommendations: R written for U of N users"));
            Assert.That(recommendations.ExitCode, Is.Zero, recommendations.Stderr);
            Assert.That(recommendations.Stdout, Does.Match(@"^Recommendations: [\d,]+ written for \d+ of \d+ users \(hybrid;"), "the default method");
        }
    }

    [Test, Order(7)]
    public async Task Similar_and_recommend_print_the_columns_their_help_names()
    {
        var user = await _db.ScalarAsync<string>(
            "SELECT u.username FROM collaborative_recommendations r JOIN lastfm_users u ON u.id = r.user_id GROUP BY u.username ORDER BY count(*) DESC, u.username LIMIT 1");
        var (similarHelp, similar) = await HelpThenRunAsync("similar", "--user", user!);
        var (recommendHelp, recommend) = await HelpThenRunAsync("recommend", "--user", user!, "--limit", "3");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(similarHelp, Does.Contain("--user").And.Contain("--metric").And.Contain("--limit").And.Contain("shared items"));
            Assert.That(similar.ExitCode, Is.Zero, similar.Stderr);
            Assert.That(TableHeader(similar.Stdout, "Users most similar to"),
                Is.EqualTo(new[] { "rank", "user", "score", "tracks", "albums", "artists", "shared items" }));
            Assert.That(recommendHelp, Does.Contain("--user").And.Contain("--metric").And.Contain("--limit").And.Contain("supporting neighbours (user-kNN) or reasons (models)"));
            Assert.That(recommend.ExitCode, Is.Zero, recommend.Stderr);
            Assert.That(TableHeader(recommend.Stdout, "Recommendations for"),
                Is.EqualTo(new[] { "rank", "track", "artist", "score", "reasons", "because of" }), "the default method, a model: reasons, not neighbours");
            Assert.That(TableRows(recommend.Stdout, "Recommendations for"), Is.EqualTo(3));
        }
    }

    [Test, Order(8)]
    public async Task Evaluate_prints_the_methods_and_measures_its_help_names()
    {
        var (help, run) = await HelpThenRunAsync("evaluate", "--source", "sandbox", "--users", "60", "--k", "5");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(help, Does.Contain("--source").And.Contain("--users").And.Contain("--k").And.Contain("most-popular").And.Contain("NDCG"));
            Assert.That(run.ExitCode, Is.Zero, run.Stderr);
            Assert.That(TableHeader(run.Stdout, "Users "),
                Is.EqualTo(new[] { "method", "P@5", "R@5", "NDCG@5", "MAP@5", "hit rate", "coverage", "time" }));
            Assert.That(run.Stdout, Does.Contain("most-popular").And.Contain("cosine").And.Contain("jaccard").And.Contain("pearson"));
        }
    }

    [Test, Order(9)]
    public async Task Demo_with_a_configured_key_and_database_runs_the_cycle_and_shows_tables_and_a_user()
    {
        var (help, run) = await HelpThenRunAsync("demo");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(help, Does.Contain("full cycle").And.Contain("print what it produced"));
            Assert.That(run.ExitCode, Is.Zero, run.Stderr);
            Assert.That(run.Stdout, Does.Contain("Schema").And.Contain("Fetched").And.Contain("Similarities:").And.Contain("Recommendations:"));
            Assert.That(run.Stdout, Does.Contain("collaborative_recommendations").And.Contain("Recommendations for").And.Contain("Users most similar to"));
            Assert.That(run.Stdout, Does.Contain("user_personal_tags").And.Contain("user_friends"), "the table of counts lists the side signals");
            Assert.That(run.Stdout, Does.Not.Contain("offline sandbox"), "a configured key uses the configured Last.fm");
        }
    }

    [Test, Order(10)]
    public async Task Root_help_lists_every_verb_and_the_exit_codes()
    {
        var root = await WorkerProcess.RunAsync(["--help"]);

        using (Assert.EnterMultipleScope())
        {
            foreach (var verb in new[] { "demo", "migrate", "fetch", "similarities", "recommendations", "run-once", "recommend", "similar", "evaluate", "status" })
            {
                Assert.That(Lines(root.Stdout).Any(l => l.TrimStart().StartsWith(verb + " ", StringComparison.Ordinal)), verb);
            }

            Assert.That(root.Stdout, Does.Contain("0 ok, 1 unexpected failure, 2 configuration error, 3 database unreachable or migration failed, "
                + "4 Last.fm API key rejected, 5 partial failure (some users failed), 130 cancelled"));
        }
    }

    [Test, Order(11)]
    public async Task Run_once_on_an_unmigrated_database_migrates_first_and_stops_before_similarities_when_the_key_is_rejected()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Users = 3, Seed = 12, InvalidApiKeys = ["rejected-key"] });
        await using var db = await TestPostgres.CreateDatabaseAsync(migrate: false);

        var run = await WorkerProcess.RunAsync(["run-once"], SandboxEnvironment(sandbox, db, "rejected-key"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.EqualTo(4), run.Stderr);
            Assert.That(run.Stdout, Does.Contain("migration script(s) applied").And.Contain("Fetched").And.Contain("Stopped: Last.fm rejected the API key"));
            Assert.That(run.Stdout, Does.Not.Contain("Similarities:"));
            Assert.That(await db.ScalarAsync<long>("SELECT count(*) FROM data_fetch_logs WHERE job_type <> 'fetch_users' AND job_type <> 'fetch_user'"), Is.Zero);
        }
    }

    private async Task<(string Help, (int ExitCode, string Stdout, string Stderr) Run)> HelpThenRunAsync(params string[] arguments)
    {
        var help = await WorkerProcess.RunAsync([arguments[0], "--help"]);
        Assert.That(help.ExitCode, Is.Zero, help.Stderr);
        var clock = Stopwatch.StartNew();
        var run = await WorkerProcess.RunAsync(arguments, _environment);
        await TestContext.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{string.Join(' ', arguments)}: {clock.Elapsed.TotalSeconds:0.0} s"));
        // Help text wraps at the console width; compare it as one line.
        return (string.Join(' ', Lines(help.Stdout).Select(l => l.Trim())), run);
    }

    private static string[] Lines(string text) => text.Replace("\r", "", StringComparison.Ordinal).Split('\n');

    /// <summary>The output from the line starting with <paramref name="title"/> to the next blank line.</summary>
    private static string Section(string output, string title) =>
        string.Join('\n', Lines(output).SkipWhile(l => !l.StartsWith(title, StringComparison.Ordinal)).TakeWhile(l => l.Length > 0));

    private static IEnumerable<string> TableLines(string output, string title) =>
        Lines(Section(output, title)).Where(l => l.StartsWith('│'));

    private static string[] Cells(string line) => line.Trim('│').Split('│').Select(c => c.Trim()).ToArray();

    private static string[] TableHeader(string output, string title) => Cells(TableLines(output, title).FirstOrDefault() ?? "");

    private static int TableRows(string output, string title) => TableLines(output, title).Count() - 1;

    private static string Row(string output, string title, string first) =>
        TableLines(output, title).Skip(1).FirstOrDefault(l => Cells(l)[0] == first) ?? $"(no row {first})";
}
