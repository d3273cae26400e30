using Microsoft.Extensions.Hosting;

namespace Tastebuds.Worker.Cli;

/// <summary>The long-running worker: migrations at start, then Quartz runs the jobs on their schedules.</summary>
internal static class DaemonCommand
{
    public static async Task<int> RunAsync(CancellationToken ct)
    {
        try
        {
            using var host = WorkerHost.CreateBuilder().Build();
            await WorkerHost.PrepareAsync(host, ct);
            await host.RunAsync(ct);
            return ExitCodes.Ok;
        }
        catch (Exception e)
        {
            return Verb.Report(e);
        }
    }
}
