using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Tastebuds.Tests.Support;
using Tastebuds.Worker.Hosting;

namespace Tastebuds.Tests.Hosting;

/// <summary>The grace period on a fake clock: exact, and no test waits for it.</summary>
public sealed class ShutdownSignalTests
{
    [Test]
    public void The_work_in_flight_is_cancelled_exactly_one_grace_period_after_SIGTERM()
    {
        var time = new FakeTimeProvider();
        using var lifetime = new TestLifetime();
        using var signal = new ShutdownSignal(lifetime, Options.Create(new ShutdownOptions { GracePeriod = TimeSpan.FromSeconds(30) }), time);

        time.Advance(TimeSpan.FromMinutes(5));
        var beforeStop = signal.GraceExpired.IsCancellationRequested;
        lifetime.StopApplication();
        time.Advance(TimeSpan.FromSeconds(30) - TimeSpan.FromTicks(1));
        var justBefore = signal.GraceExpired.IsCancellationRequested;
        time.Advance(TimeSpan.FromTicks(1));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(beforeStop, Is.False, "no grace period runs before SIGTERM");
            Assert.That(signal.Stopping.IsCancellationRequested, Is.True);
            Assert.That(justBefore, Is.False, "a tick before the grace period ends");
            Assert.That(signal.GraceExpired.IsCancellationRequested, Is.True, "when it ends");
        }
    }
}
