using System.Globalization;
using Tastebuds.Core;
using Tastebuds.Core.Similarity;

namespace Tastebuds.Benchmarks;

/// <summary>
/// `prune N [P...]`: the scale world (<see cref="ScaleWorld"/>) of N users in memory; the exact neighbour search, then
/// the pruned one for each cap P: time, pairs, accumulation steps and the recall of the exact top-50 per metric.
/// `prune hetrec [P...]`: the same on HetRec's user × artist plays (1,892 users), where play counts are real.
/// </summary>
internal static class PruneMeasurement
{
    public static void Run(string[] args)
    {
        var hetRec = args.Length > 0 && args[0] == "hetrec";
        var users = args.Length > 0 && !hetRec ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        var caps = args.Length > 1 ? args[1..].Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [1000];
        var matrix = InteractionMatrix.Build(hetRec ? DataFiles.HetRecInteractions() : ScaleWorld.Interactions(users, seed: 42));
        var (exact, exactCpu) = Timed(matrix, new SimilarityOptions());
        Print("exact", exact, exactCpu, null, matrix.UserCount);
        foreach (var cap in caps)
        {
            var (pruned, cpu) = Timed(matrix, new SimilarityOptions { MaxHoldersPerItem = cap });
            Print($"P = {cap}", pruned, cpu, exact, matrix.UserCount);
        }
    }

    /// <summary>The search and the CPU time it took (all threads): on a shared machine, steadier than the wall time.</summary>
    private static (NeighbourSet Set, TimeSpan Cpu) Timed(InteractionMatrix matrix, SimilarityOptions options)
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        var before = process.TotalProcessorTime;
        var set = NeighbourFinder.Compute(matrix, options, CancellationToken.None);
        process.Refresh();
        return (set, process.TotalProcessorTime - before);
    }

    private static void Print(string what, NeighbourSet set, TimeSpan cpu, NeighbourSet? exact, int users)
    {
        var recall = exact is null ? "" : string.Join(", ", Enum.GetValues<SimilarityMetric>().Select(m =>
            string.Create(CultureInfo.InvariantCulture, $"{m} {Recall(users, exact, set, m):P1}")));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{users:N0} users, {what}: {set.Stats.Elapsed.TotalSeconds:0.0} s wall, {cpu.TotalSeconds:0.0} s CPU, {set.Stats.PairsEvaluated:N0} pairs, {set.Stats.AccumulationSteps:N0} steps; recall of the exact top-50 {recall}"));
    }

    private static double Recall(int users, NeighbourSet exact, NeighbourSet pruned, SimilarityMetric metric)
    {
        long found = 0, total = 0;
        for (var u = 0; u < users; u++)
        {
            var kept = pruned.Of(u, metric).Select(n => n.User).ToHashSet();
            total += exact.Of(u, metric).Count;
            found += exact.Of(u, metric).Count(n => kept.Contains(n.User));
        }

        return total == 0 ? 1.0 : (double)found / total;
    }
}
