using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Tastebuds.Tests.Support;
using Tastebuds.Worker.Fetching;
using Tastebuds.Worker.Hosting;
using Tastebuds.Worker.Runs;

namespace Tastebuds.Tests.Runs;

/// <summary>The chaining rule shared by the daemon, run-once and demo; the stages themselves are not needed to decide it.</summary>
public sealed class PipelineRuleTests
{
    private TestLifetime _lifetime = null!;
    private ShutdownSignal _shutdown = null!;
    private Pipeline _pipeline = null!;

    [SetUp]
    public void SetUp()
    {
        _lifetime = new TestLifetime();
        _shutdown = new ShutdownSignal(_lifetime, Options.Create(new ShutdownOptions()));
        _pipeline = new Pipeline(null!, null!, null!, _shutdown);
    }

    [TearDown]
    public void TearDown()
    {
        _shutdown.Dispose();
        _lifetime.Dispose();
    }

    [Test]
    public void A_fetch_that_stored_someone_goes_on_to_similarities_even_with_failures_or_a_rejected_key()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_pipeline.NextAfter(Fetch(succeeded: 1)), Is.EqualTo(JobType.RecalculateSimilarities));
            Assert.That(_pipeline.NextAfter(Fetch(succeeded: 2, failed: 3, keyRejected: true)), Is.EqualTo(JobType.RecalculateSimilarities));
        }
    }

    [Test]
    public void A_fetch_that_stored_nobody_ends_the_chain()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_pipeline.NextAfter(Fetch(succeeded: 0)), Is.Null, "nobody to fetch");
            Assert.That(_pipeline.NextAfter(Fetch(succeeded: 0, skipped: 2, failed: 1)), Is.Null, "all skipped or failed");
            Assert.That(_pipeline.NextAfter(Fetch(succeeded: 0, failed: 1, keyRejected: true)), Is.Null, "key rejected first");
        }
    }

    [Test]
    public void Nothing_new_starts_once_the_host_is_stopping()
    {
        _lifetime.StopApplication();

        Assert.That(_pipeline.NextAfter(Fetch(succeeded: 5)), Is.Null);
    }

    private static FetchRunResult Fetch(int succeeded, int skipped = 0, int failed = 0, bool keyRejected = false) =>
        new(Guid.NewGuid(), succeeded + skipped + failed, succeeded, skipped, failed, keyRejected, 10, 0);
}
