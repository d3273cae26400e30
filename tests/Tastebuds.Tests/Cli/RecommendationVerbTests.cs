using Dapper;
using Tastebuds.Tests.Recommendations;
using Tastebuds.Tests.Support;

namespace Tastebuds.Tests.Cli;

/// <summary>The similarity and recommendation verbs, run as the real binary against a migrated database with fetched sandbox users.</summary>
[NonParallelizable]
public sealed class RecommendationVerbTests
{
    private StageScenario _scenario = null!;
    private Dictionary<string, string?> _environment = null!;

    [OneTimeSetUp]
    public async Task FetchSandboxUsers()
    {
        _scenario = await StageScenario.StartAsync(users: 30, seed: 4);
        _environment = new Dictionary<string, string?> { ["ConnectionStrings__Postgres"] = _scenario.Database.ConnectionString };
    }

    [OneTimeTearDown]
    public async Task Drop() => await _scenario.DisposeAsync();

    [Test]
    public async Task Similarities_then_recommendations_fill_the_tables_and_similar_and_recommend_print_them_as_tables()
    {
        var similarities = await WorkerProcess.RunAsync(["similarities"], _environment);
        var recommendations = await WorkerProcess.RunAsync(["recommendations"], _environment);
        await using var connection = await _scenario.Database.DataSource.OpenConnectionAsync();
        var (user, neighbour) = await connection.QueryFirstAsync<(string, string)>(
            """
            SELECT u.username, v.username FROM user_similarities s JOIN lastfm_users u ON u.id = s.user_id JOIN lastfm_users v ON v.id = s.similar_user_id
            WHERE s.metric = 'cosine' AND s.rank = 1 AND EXISTS (SELECT 1 FROM collaborative_recommendations cr WHERE cr.user_id = s.user_id AND cr.rank = 5)
            ORDER BY u.username LIMIT 1
            """);
        var topTrack = await connection.QuerySingleAsync<string>("SELECT track FROM get_collaborative_recommendations(@user, 1, 'hybrid')", new { user });
        var similar = await WorkerProcess.RunAsync(["similar", "--user", user.ToUpperInvariant(), "--limit", "3"], _environment);
        var recommend = await WorkerProcess.RunAsync(["recommend", "--user", user, "--limit", "4", "--metric", "hybrid"], _environment);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(similarities.ExitCode, Is.Zero, similarities.Stderr);
            Assert.That(similarities.Stdout, Does.Match(@"Similarities: \d+ users, [\d,]+ pairs evaluated, [\d,]+ neighbours written \(cosine"));
            Assert.That(recommendations.ExitCode, Is.Zero, recommendations.Stderr);
            Assert.That(recommendations.Stdout, Does.Match(@"Recommendations: [\d,]+ written for \d+ of \d+ users \(hybrid"), "the default method");
            Assert.That(await _scenario.Database.ScalarAsync<long>("SELECT count(*) FROM data_fetch_logs WHERE job_type IN ('recalculate_similarities', 'generate_recommendations') AND status = 'succeeded'"),
                Is.EqualTo(2));

            Assert.That(similar.ExitCode, Is.Zero, similar.Stderr);
            Assert.That(similar.Stdout, Does.Contain($"Users most similar to {user} (cosine)").And.Contain("shared items").And.Contain(neighbour));
            Assert.That(DataRows(similar.Stdout), Is.EqualTo(3));
            Assert.That(recommend.ExitCode, Is.Zero, recommend.Stderr);
            Assert.That(recommend.Stdout, Does.Contain($"Recommendations for {user} (hybrid)").And.Contain("because of").And.Contain(topTrack)
                .And.Match(@"(als|rp3beta) \d+% \+ (als|rp3beta) \d+%|(als|rp3beta) 100%"), "each row says each component's share");
            Assert.That(DataRows(recommend.Stdout), Is.EqualTo(4));
        }
    }

    [Test]
    public async Task An_unknown_user_gets_a_clear_message_and_exit_code_1()
    {
        var recommend = await WorkerProcess.RunAsync(["recommend", "--user", "no-such-listener"], _environment);
        var similar = await WorkerProcess.RunAsync(["similar", "--user", "no-such-listener"], _environment);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(recommend.ExitCode, Is.EqualTo(1));
            Assert.That(recommend.Stderr, Does.Contain("Unknown user 'no-such-listener'"));
            Assert.That(similar.ExitCode, Is.EqualTo(1));
            Assert.That(similar.Stderr, Does.Contain("Unknown user 'no-such-listener'"));
        }
    }

    [Test]
    public async Task Evaluate_on_a_generated_world_needs_no_database_and_on_the_database_only_reads()
    {
        // An unreachable database: the sandbox source must not try it.
        var sandbox = await WorkerProcess.RunAsync(["evaluate", "--source", "sandbox", "--users", "120", "--seed", "3"],
            new Dictionary<string, string?> { ["ConnectionStrings__Postgres"] = "Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none;Timeout=2" });
        var before = await _scenario.Database.ScalarAsync<long>("SELECT count(*) FROM data_fetch_logs");
        var fromDb = await WorkerProcess.RunAsync(["evaluate", "--source", "db", "--markdown"], _environment);
        var help = await WorkerProcess.RunAsync(["evaluate", "--help"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(sandbox.ExitCode, Is.Zero, sandbox.Stderr);
            Assert.That(sandbox.Stdout, Does.Contain("sandbox world (120 users, seed 3)").And.Contain("NDCG@10").And.Contain("most-popular")
                .And.Contain("cosine").And.Contain("jaccard").And.Contain("pearson").And.Contain("hit rate").And.Contain("coverage"));
            Assert.That(fromDb.ExitCode, Is.Zero, fromDb.Stderr);
            Assert.That(fromDb.Stdout, Does.Contain("Source: database").And.Contain("| most-popular |"));
            Assert.That(await _scenario.Database.ScalarAsync<long>("SELECT count(*) FROM data_fetch_logs"), Is.EqualTo(before), "evaluate writes nothing");
            Assert.That(help.Stdout, Does.Contain("--source").And.Contain("--holdout").And.Contain("--k").And.Contain("most-popular"));
        }
    }

    [Test]
    public async Task Help_lists_the_new_verbs_and_their_options()
    {
        var root = await WorkerProcess.RunAsync(["--help"]);
        var recommend = await WorkerProcess.RunAsync(["recommend", "--help"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(root.Stdout, Does.Contain("similarities").And.Contain("recommendations").And.Contain("similar").And.Contain("recommend").And.Contain("evaluate"));
            Assert.That(recommend.Stdout, Does.Contain("--user").And.Contain("--limit").And.Contain("--metric"));
        }
    }

    [Test]
    public async Task A_limit_below_1_is_a_bad_command_line_even_for_a_user_with_recommendations()
    {
        var user = await _scenario.Database.ScalarAsync<string>("SELECT username FROM lastfm_users ORDER BY username LIMIT 1");

        var recommend = await WorkerProcess.RunAsync(["recommend", "--user", user!, "--limit", "0"], _environment);
        var similar = await WorkerProcess.RunAsync(["similar", "--user", user!, "--limit", "-5"], _environment);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(recommend.ExitCode, Is.EqualTo(2), recommend.Stdout);
            Assert.That(recommend.Stderr, Does.Contain("--limit must be between 1 and 1000, not 0."));
            Assert.That(recommend.Stdout, Does.Contain("Usage:").And.Not.Contain("No recommendations"));
            Assert.That(similar.ExitCode, Is.EqualTo(2), similar.Stdout);
            Assert.That(similar.Stderr, Does.Contain("--limit must be between 1 and 1000, not -5."));
            Assert.That(similar.Stdout, Does.Contain("Usage:").And.Not.Contain("neighbours stored"));
        }
    }

    /// <summary>Rows of a Spectre table: lines between the header rule and the bottom border.</summary>
    private static int DataRows(string output) =>
        output.Split('\n').SkipWhile(l => !l.StartsWith('├')).Skip(1).TakeWhile(l => l.StartsWith('│')).Count();

    [Test]
    public async Task Evaluate_with_a_folder_that_is_not_hetrec_says_what_is_missing_and_exits_with_the_configuration_code()
    {
        var result = await WorkerProcess.RunAsync(["evaluate", "--source", "hetrec", "--path", "/nonexistent/hetrec"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(2));
            Assert.That(result.Stderr, Does.Contain("--path /nonexistent/hetrec has no user_artists.dat"));
        }
    }
}
