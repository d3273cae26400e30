using System.Diagnostics;
using System.Globalization;
using Tastebuds.Core;
using Tastebuds.Core.Models;

namespace Tastebuds.Benchmarks;

/// <summary>
/// <c>als-scale [users] [tracks] [factors] [iterations] [runs] [--cg S] [--fit-only] [--rp3]</c>: iALS training time and memory on
/// <see cref="ScaleWorld"/> (default 100,000 users × 200,000 tracks, 64 factors, 10 iterations, 3 CG steps), docs/benchmarks.md;
/// <c>--fit-only</c> leaves out the scoring.
/// </summary>
internal static class AlsScaleMeasurement
{
    public static void Run(string[] args)
    {
        var fitOnly = args.Contains("--fit-only");
        var cgAt = Array.IndexOf(args, "--cg");
        var cg = cgAt >= 0 ? int.Parse(args[cgAt + 1], CultureInfo.InvariantCulture) : new AlsModel().CgSteps;
        var positional = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (cgAt < 0 || i != cgAt + 1)).ToArray();
        int Arg(int i, int fallback) => positional.Length > i ? int.Parse(positional[i], CultureInfo.InvariantCulture) : fallback;
        var (users, tracks, factors, iterations, runs) = (Arg(0, 100_000), Arg(1, 200_000), Arg(2, 64), Arg(3, 10), Arg(4, 3));
        var clock = Stopwatch.StartNew();
        var input = new ModelInput(Build(users, tracks), ItemKind.Track);
        GC.Collect();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine($"World: {users:N0} users, {input.ItemCount:N0} tracks held, {users * AlsScaleWorld.TracksPerUser:N0} interactions; " +
            $"built in {clock.Elapsed.TotalSeconds:F1} s; managed heap after build {baseline / 1e6:F0} MB; " +
            $"peak working set so far {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB; {HostDescription.Cores()}");

        if (args.Contains("--rp3"))
        {
            GraphRuns(input, runs);
            return;
        }

        var times = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var als = new AlsModel { Factors = factors, Iterations = iterations, CgSteps = cg }.Train(input, CancellationToken.None);
            times.Add(als.TrainingElapsed.TotalSeconds);
            Console.WriteLine($"run {run + 1}: {als.TrainingElapsed.TotalSeconds:F1} s for {iterations} iterations × {cg} CG steps at {factors} factors " +
                $"({als.TrainingElapsed.TotalSeconds / iterations:F2} s/iteration); CPU {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F1} s; allocated {(GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1e6:F0} MB; " +
                $"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB; factors md5 {FactorsMd5(als)}");
            if (fitOnly)
            {
                continue;
            }

            var scoring = Stopwatch.StartNew();
            var scoringCpu = Process.GetCurrentProcess().TotalProcessorTime;
            var scores = new double[input.ItemCount];
            for (var u = 0; u < 1_000; u++)
            {
                ModelRanking.Top(als, u, 50, scores, null, int.MaxValue);
            }

            Console.WriteLine($"  top-50 for 1,000 users (1 thread): {scoring.Elapsed.TotalSeconds:F2} s wall, " +
                $"CPU {(Process.GetCurrentProcess().TotalProcessorTime - scoringCpu).TotalSeconds:F2} s");
        }

        times.Sort();
        Console.WriteLine($"median training time {times[times.Count / 2]:F1} s over {runs} runs");
        if (fitOnly)
        {
            return;
        }

        var model = new AlsModel { Factors = factors, Iterations = 1 }.Train(input, CancellationToken.None);
        var all = Stopwatch.StartNew();
        var allCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var lists = ModelRanking.TopAll(model, 50, CancellationToken.None);
        Console.WriteLine($"top-50 for all {lists.Length:N0} users (TopAll, batches of {ModelRanking.BatchSize}, all cores): {all.Elapsed.TotalSeconds:F1} s wall, " +
            $"CPU {(Process.GetCurrentProcess().TotalProcessorTime - allCpu).TotalSeconds:F1} s; peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB");
    }

    /// <summary>
    /// <c>--rp3</c>: the hybrid's RP3beta fit (its item graph) instead of iALS, timed; the md5 of the first 1,000 users'
    /// scores over every item stands for the graph, bit for bit.
    /// </summary>
    private static void GraphRuns(ModelInput input, int runs)
    {
        var times = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            var clock = Stopwatch.StartNew();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var graph = ModelCatalogue.HybridRp3Beta.Fit(input, CancellationToken.None);
            times.Add(clock.Elapsed.TotalSeconds);
            var fitCpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            var scores = new double[input.ItemCount];
            var md5 = Fingerprint.Md5(hash =>
            {
                for (var u = 0; u < 1_000; u++)
                {
                    Array.Clear(scores);
                    graph.Score(u, scores);
                    hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(scores.AsSpan()));
                }
            });
            Console.WriteLine($"run {run + 1}: RP3beta graph (K = {ModelCatalogue.HybridRp3Beta.Neighbours}) in {times[^1]:F1} s; CPU {fitCpu.TotalSeconds:F1} s; " +
                $"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB; scores md5 {md5}");
        }

        times.Sort();
        Console.WriteLine($"median graph time {times[times.Count / 2]:F1} s over {runs} runs");
    }

    /// <summary>The md5 of every user's and item's factors, bit for bit: a change to the solver's arithmetic shows here.</summary>
    private static string FactorsMd5(AlsTrained als) => Fingerprint.Md5(hash =>
    {
        for (var u = 0; u < als.Input.UserCount; u++)
        {
            hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(als.UserVector(u)));
        }

        for (var i = 0; i < als.Input.ItemCount; i++)
        {
            hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(als.ItemVector(i)));
        }
    });

    // In its own method so that the generated rows are garbage once the matrix exists.
    private static InteractionMatrix Build(int users, int tracks) => InteractionMatrix.Build(AlsScaleWorld.Create(users, tracks, seed: 42));
}
