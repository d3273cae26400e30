using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Tastebuds.Worker.Hosting;

/// <summary>
/// The two moments of a graceful shutdown: <see cref="Stopping"/> (SIGTERM: start no new work) and
/// <see cref="GraceExpired"/> (the grace period is over: cancel the work in flight, which rolls back).
/// </summary>
public sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource _grace;
    private readonly CancellationTokenRegistration _registration;

    /// <param name="time">The host's clock (a test's fake one); optional because the hosting registration does not add one.</param>
    public ShutdownSignal(IHostApplicationLifetime lifetime, IOptions<ShutdownOptions> options, TimeProvider? time = null)
    {
        // A source made with a TimeProvider runs CancelAfter on that provider's timer.
        _grace = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time ?? TimeProvider.System);
        Stopping = lifetime.ApplicationStopping;
        var gracePeriod = options.Value.GracePeriod;
        _registration = Stopping.Register(() => _grace.CancelAfter(gracePeriod));
    }

    public CancellationToken Stopping { get; }

    public CancellationToken GraceExpired => _grace.Token;

    public void Dispose()
    {
        _registration.Dispose();
        _grace.Dispose();
    }
}
