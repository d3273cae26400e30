using Microsoft.Extensions.Hosting;

namespace Tastebuds.Worker.Telemetry;

/// <summary>
/// Beats every few seconds on a timer. If the thread pool is starved or the process is otherwise wedged the
/// beats stop, and liveness (<see cref="HeartbeatHealthCheck"/>) fails, so systemd's watchdog or the kubelet restarts it.
/// </summary>
public sealed class Heartbeat(TimeProvider time) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private long _lastBeatTicks = time.GetUtcNow().UtcTicks;

    public DateTimeOffset LastBeat => new(Interlocked.Read(ref _lastBeatTicks), TimeSpan.Zero);

    public TimeSpan Age => time.GetUtcNow() - LastBeat;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        Beat();
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Beat();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private void Beat() => Interlocked.Exchange(ref _lastBeatTicks, time.GetUtcNow().UtcTicks);
}
