using Microsoft.Extensions.Hosting;

namespace Tastebuds.Tests.Support;

/// <summary>A host lifetime a test stops by hand (<see cref="StopApplication"/>), for services that watch ApplicationStopping.</summary>
internal sealed class TestLifetime : IHostApplicationLifetime, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    public CancellationToken ApplicationStarted => CancellationToken.None;

    public CancellationToken ApplicationStopping => _stopping.Token;

    public CancellationToken ApplicationStopped => CancellationToken.None;

    public void StopApplication() => _stopping.Cancel();

    public void Dispose() => _stopping.Dispose();
}
