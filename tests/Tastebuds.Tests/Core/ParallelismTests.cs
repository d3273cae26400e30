using Tastebuds.Core;

namespace Tastebuds.Tests.Core;

/// <summary>Every CPU-bound loop is bounded: by its setting when positive, else by the cores (never by the pool's threads).</summary>
public sealed class ParallelismTests
{
    [TestCase(-1)]
    [TestCase(0)]
    public void An_unset_degree_means_one_worker_per_core(int setting)
    {
        Assert.That(Parallelism.Options(setting, CancellationToken.None).MaxDegreeOfParallelism, Is.EqualTo(Environment.ProcessorCount));
    }

    [Test]
    public void A_set_degree_is_kept_and_the_token_passed_on()
    {
        using var cancellation = new CancellationTokenSource();
        var options = Parallelism.Options(3, cancellation.Token);
        Assert.That((options.MaxDegreeOfParallelism, options.CancellationToken), Is.EqualTo((3, cancellation.Token)));
    }
}
