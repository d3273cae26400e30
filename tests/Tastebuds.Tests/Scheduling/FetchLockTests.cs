using Microsoft.Extensions.DependencyInjection;
using Tastebuds.Sandbox;
using Tastebuds.Tests.Fetching;
using Tastebuds.Worker.Fetching;

namespace Tastebuds.Tests.Scheduling;

/// <summary>One fetch run per API key across processes: the verb fails, the scheduled job waits.</summary>
public sealed class FetchLockTests
{
    [Test]
    public async Task A_fetch_fails_at_once_while_another_run_with_the_same_api_key_holds_the_lock_and_runs_once_it_is_released()
    {
        await using var scenario = await FetchScenario.StartAsync(new SandboxOptions { Users = 2, Seed = 43, PrivateUserFraction = 0, MissingUsernames = 0 });
        var fetchLock = scenario.Host.Services.GetRequiredService<FetchLock>();

        var held = await fetchLock.AcquireAsync(wait: false, CancellationToken.None);
        var busy = Assert.ThrowsAsync<FetchRunInProgressException>(() => scenario.FetchAsync());
        var waiting = scenario.Runner.RunAsync(null, null, waitForOtherRun: true, CancellationToken.None);
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        var waitedWhileHeld = !waiting.IsCompleted;
        await held.DisposeAsync();
        var result = await waiting;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(busy!.Message, Does.Contain("same Last.fm API key"));
            Assert.That(waitedWhileHeld, Is.True, "the scheduled job's run waits for the lock");
            Assert.That(result.Succeeded, Is.EqualTo(2));
            Assert.That(await scenario.Database.ScalarAsync<long>("SELECT count(*) FROM data_fetch_logs WHERE job_type = 'fetch_users'"), Is.EqualTo(1),
                "the failed attempt started no run");
        }
    }

    [Test]
    public void The_lock_key_is_a_hash_of_the_api_key_and_differs_between_keys()
    {
        using (Assert.EnterMultipleScope())
        {
            var first = FetchLock.KeyFor("key-a");
            Assert.That(FetchLock.KeyFor(string.Concat("key-", "a")), Is.EqualTo(first));
            Assert.That(FetchLock.KeyFor("key-a"), Is.Not.EqualTo(FetchLock.KeyFor("key-b")));
        }
    }
}
