using System.Diagnostics;
using Tastebuds.Sandbox;
using Tastebuds.Sandbox.World;

namespace Tastebuds.Tests.Sandbox;

/// Figures for the docs, not timed assertions: run with --filter FullyQualifiedName~SandboxMeasurements.
[Explicit("Measurement, not a test")]
public sealed class SandboxMeasurements
{
    [Test]
    public async Task Measure_world_generation_and_loopback_throughput()
    {
        SandboxWorld.Generate(50, 1); // warm up the JIT
        var clock = Stopwatch.StartNew();
        var world = SandboxWorld.Generate(500, 42);
        var generation = clock.Elapsed;
        clock.Restart();
        var hetrec = SandboxWorld.LoadHetRec(Support.SharedData.HetRec);
        var loading = clock.Elapsed;

        await using var server = await SandboxServer.StartAsync(new SandboxOptions { World = world });
        using var http = SandboxHttp.Client();
        var user = world.Users.First(u => !u.IsPrivate).Name;
        var url = SandboxHttp.Url(server, "user.getTopTracks", user);
        for (var i = 0; i < 200; i++)
        {
            await http.GetStringAsync(url);
        }

        clock.Restart();
        const int count = 3000;
        for (var i = 0; i < count; i++)
        {
            await http.GetStringAsync(url);
        }

        var sequential = count / clock.Elapsed.TotalSeconds;
        clock.Restart();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, ct) => await http.GetStringAsync(url, ct));
        var parallel = count / clock.Elapsed.TotalSeconds;

        var log = server.RequestLog.Snapshot();
        var fromLog = (log.Count - 200) / (log[^1].Timestamp - log[200].Timestamp).TotalSeconds;
        await TestContext.Out.WriteLineAsync(
            $"generate 500 users: {generation.TotalMilliseconds:F0} ms; load HetRec ({hetrec.Users.Count} users): {loading.TotalMilliseconds:F0} ms; " +
            $"getTopTracks limit=50: {sequential:F0} req/s sequential, {parallel:F0} req/s with 8 in flight; rate from the request log {fromLog:F0} req/s");
    }
}
