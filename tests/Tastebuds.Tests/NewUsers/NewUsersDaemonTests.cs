using Tastebuds.Tests.Fetching;
using Tastebuds.Tests.Support;

namespace Tastebuds.Tests.NewUsers;

/// <summary>The daemon as a separate process: an application adds a user with a plain INSERT and nothing else.</summary>
[NonParallelizable]
public sealed class NewUsersDaemonTests
{
    private const string Never = "0 0 0 1 1 ? 2099";

    [Test]
    public async Task An_insert_into_lastfm_users_while_the_daemon_runs_leads_to_that_users_recommendations_without_a_full_run()
    {
        await using var scenario = await NewUserScenario.StartAsync(users: 40, newcomers: 1, seed: 31);
        await scenario.FullRunAsync();
        var newcomer = scenario.Newcomers[0];
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = scenario.Database.ConnectionString,
            ["Lastfm__BaseUrl"] = scenario.Fetch.Sandbox.BaseUrl.ToString(),
            ["Lastfm__ApiKey"] = FetchScenario.ApiKey,
            ["RateLimiting__MaxRequestsPerMinute"] = "100000",
            ["RateLimiting__DelayBetweenUsers"] = "00:00:00",
            // Only the new-users poll may run (every 2 s): no weekly fetch, no full recalculation.
            ["Schedules__FetchUsers"] = Never,
            ["Schedules__RecalculateSimilarities"] = Never,
            ["Schedules__GenerateRecommendations"] = Never,
            ["Schedules__NewUsers"] = "0/2 * * * * ?",
        };
        foreach (var (key, value) in NewUserScenario.Algorithm)
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        using var worker = WorkerProcess.Start([], environment);
        await scenario.Database.ExecuteAsync($"INSERT INTO lastfm_users (username) VALUES ('{newcomer}')");

        await Eventually.WaitUntilAsync(
            async () => await scenario.Database.ScalarAsync<long>($"SELECT count(*) FROM get_collaborative_recommendations('{newcomer}', 10)") > 0,
            TimeSpan.FromSeconds(60), () => $"recommendations for {newcomer}; daemon said:\n{worker.StandardError}");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await scenario.Database.ScalarAsync<long>(
                $"SELECT count(*) FROM data_fetch_logs WHERE job_type = 'fetch_user' AND username = '{newcomer}' AND status = 'succeeded'"),
                Is.EqualTo(1));
            Assert.That(await scenario.Database.ScalarAsync<long>(
                $"SELECT count(*) FROM data_fetch_logs WHERE job_type = 'serve_new_user' AND username = '{newcomer}' AND status = 'succeeded'"),
                Is.EqualTo(1));
            Assert.That(await scenario.Database.ScalarAsync<long>(
                $"SELECT count(*) FROM user_similarities s JOIN lastfm_users u ON u.id = s.user_id WHERE u.username = '{newcomer}'"),
                Is.GreaterThan(0), "the newcomer's neighbours");
            Assert.That(await scenario.Database.ScalarAsync<long>(
                "SELECT count(*) FROM data_fetch_logs WHERE job_type IN ('recalculate_similarities', 'generate_recommendations')"),
                Is.EqualTo(2), "only the scenario's own full run, none by the daemon");
        }
    }
}
