using System.Diagnostics;
using System.Globalization;
using Tastebuds.Core;
using Tastebuds.Core.Models;

namespace Tastebuds.Benchmarks;

/// <summary>
/// <c>models-scale [users] [tracks] [top] [--two-calls | --train-only | --phases] [--tuning-users=N] [--one-fit-share=S]
/// [--graph-k=K] [--top-r=R] [--cg-steps=S] [--als-iterations=N] [--compare-refit]</c>: the production hybrid's whole path on <see cref="AlsScaleWorld"/>
/// (default 100,000 users × 200,000 tracks, top 50) as the daemon's recommendation stage runs it:
/// <see cref="HybridModel.Train"/> (tuning on the validation carve, then the refit), then every user's list ranked and
/// explained block by block (<see cref="ModelRanking.ExplainedBlocks{T}"/>), with the per-artist cap; with
/// <c>--two-calls</c> also the earlier path, <see cref="ModelRanking.TopAll"/> then <see cref="ITrainedModel.ExplainAll"/>
/// of every list (docs/benchmarks.md). The world has no tags or friends: those components score nothing, as on a database whose
/// fetch has not stored them.
/// </summary>
internal static class AlsScaleHybrid
{
    /// <summary>Tracks per generated artist, for the per-artist cap (RecommendationOptions.MaxTracksPerArtist = 3).</summary>
    private const int TracksPerArtist = 10;

    public static void Run(string[] args)
    {
        var numbers = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        int Arg(int i, int fallback) => numbers.Length > i ? int.Parse(numbers[i], CultureInfo.InvariantCulture) : fallback;
        var (users, tracks, top) = (Arg(0, 100_000), Arg(1, 200_000), Arg(2, 50));
        var clock = Stopwatch.StartNew();
        var world = Build(users, tracks);
        // --test-ndcg: the hybrid trained on a 20 % per-user holdout's train part, its test NDCG@10 then measured.
        var test = args.Contains("--test-ndcg") ? Tastebuds.Core.Evaluation.HoldoutSplit.Create(world, ItemKind.Track, 0.2, 5, 42) : null;
        var input = new ModelInput(test?.Train ?? world, ItemKind.Track);
        GC.Collect();
        Console.WriteLine($"World: {users:N0} users, {input.ItemCount:N0} tracks held, {(long)users * AlsScaleWorld.TracksPerUser:N0} interactions; " +
            $"built in {clock.Elapsed.TotalSeconds:F1} s; managed heap {GC.GetTotalMemory(forceFullCollection: true) / 1e6:F0} MB; " +
            $"peak working set so far {PeakMb():F0} MB; {HostDescription.Cores()}");

        var groups = Enumerable.Range(0, input.ItemCount)
            .Select(i => input.Matrix.ItemId(ItemKind.Track, i) / TracksPerArtist).ToArray();
        var hybrid = ModelCatalogue.Hybrid();
        if (args.FirstOrDefault(a => a.StartsWith("--tuning-users=", StringComparison.Ordinal)) is { } tuningUsers)
        {
            hybrid = hybrid with { MaxTuningUsers = int.Parse(tuningUsers["--tuning-users=".Length..], CultureInfo.InvariantCulture) };
        }

        if (Option(args, "--one-fit-share=") is { } share)
        {
            hybrid = hybrid with { OneFitMaxHoldoutShare = double.Parse(share, CultureInfo.InvariantCulture) };
        }

        if (Option(args, "--top-r=") is { } topR)
        {
            hybrid = hybrid with { CandidatesPerComponent = int.Parse(topR, CultureInfo.InvariantCulture) };
        }

        if (Option(args, "--graph-k=") is { } graphK)
        {
            hybrid = hybrid with
            {
                Components = [.. hybrid.Components.Select(c => c is Rp3BetaModel r ? r with { Neighbours = int.Parse(graphK, CultureInfo.InvariantCulture) } : c)],
            };
        }

        if (Option(args, "--cg-steps=") is { } cgSteps)
        {
            hybrid = hybrid with
            {
                Components = [.. hybrid.Components.Select(c => c is AlsModel a ? a with { CgSteps = int.Parse(cgSteps, CultureInfo.InvariantCulture) } : c)],
            };
        }

        if (Option(args, "--als-iterations=") is { } iterations)
        {
            hybrid = hybrid with
            {
                Components = [.. hybrid.Components.Select(c => c is AlsModel a ? a with { Iterations = int.Parse(iterations, CultureInfo.InvariantCulture) } : c)],
            };
        }

        if (args.Contains("--phases"))
        {
            // The training's parts one after the other, each with its CPU: what Train runs, split.
            var tuned = Stage("tune (HybridModel.Tune: the one fit on everyone but the holdout, or the carve of MaxTuningUsers)",
                () => hybrid.Tune(input, CancellationToken.None));
            Console.WriteLine($"  weights {string.Join(" / ", tuned.Components.Zip(tuned.Weights, (c, w) => $"{c} {w:0.##}"))}; " +
                $"validation NDCG@10 {tuned.ValidationNdcg:F4} on {tuned.ValidationUsers:N0} users; one fit {tuned.OneFit} (holdout {tuned.HoldoutShare:P2})");
            foreach (var component in hybrid.Components)
            {
                Stage($"refit {component.Name} on every user", () => component.Fit(input, CancellationToken.None));
            }

            return;
        }


        var trained = Stage("train (HybridModel.Train: tune + refit)", () => hybrid.Train(input, CancellationToken.None));
        var tuning = trained.Tuning;
        Console.WriteLine($"  of which tune {trained.TuneElapsed.TotalSeconds:F1} s (components fitted on the validation carve, blend search), " +
            $"refit {trained.RefitElapsed.TotalSeconds:F1} s; weights {string.Join(" / ", tuning.Components.Zip(tuning.Weights, (c, w) => $"{c} {w:0.##}"))}; " +
            $"validation NDCG@10 {tuning.ValidationNdcg:F4} on {tuning.ValidationUsers:N0} users, {tuning.Trials.Count} trials; " +
            $"one fit {tuning.OneFit} (holdout {tuning.HoldoutShare:P2} of the interactions)");
        if (args.Contains("--compare-refit"))
        {
            CompareRefit(hybrid, trained, input, top, groups, test);
        }

        if (args.Contains("--train-only"))
        {
            return;
        }

        // As the recommendation stage: ranked and explained in one pass per user, block by block (ModelRows maps each
        // list to its stored rows and hands the block to the COPY; here the block is counted and dropped).
        var (rows, served) = Stage("score + explain in blocks of 1,024 users (ModelRanking.ExplainedBlocks, as the stage)", () =>
        {
            var (count, users) = (0L, 0);
            foreach (var block in ModelRanking.ExplainedBlocks(trained, top, 1024, (u, l) => l.Reasons.Count, CancellationToken.None, groups,
                maxPerGroup: 3))
            {
                count += block.Sum();
                users += block.Count(n => n > 0);
            }

            return (count, users);
        });
        Console.WriteLine($"{served:N0} users with a list, {rows:N0} rows explained; peak working set {PeakMb():F0} MB; total {clock.Elapsed.TotalSeconds:F1} s");
        if (!args.Contains("--two-calls"))
        {
            return;
        }

        var lists = Stage($"score (ModelRanking.TopAll, top {top}, ≤ 3 per artist)",
            () => ModelRanking.TopAll(trained, top, CancellationToken.None, groups, maxPerGroup: 3));
        var explained = Stage("explain (ExplainAll of every list)", () =>
        {
            var count = 0L;
            Parallel.For(0, lists.Length, u => Interlocked.Add(ref count, trained.ExplainAll(u, [.. lists[u].Select(r => r.Item)]).Count));
            return count;
        });
        Console.WriteLine($"{lists.Count(l => l.Length > 0):N0} users with a list, {lists.Sum(l => (long)l.Length):N0} rows, {explained:N0} explained; " +
            $"peak working set {PeakMb():F0} MB; total {clock.Elapsed.TotalSeconds:F1} s");
    }

    private static string? Option(string[] args, string prefix) =>
        args.FirstOrDefault(a => a.StartsWith(prefix, StringComparison.Ordinal)) is { } arg ? arg[prefix.Length..] : null;

    /// <summary>
    /// The served lists against those of the same weights on components refitted on the whole input (what the one fit
    /// skips): the share of each top list the two have in common, for 2,000 seeded users and for the validation users.
    /// </summary>
    private static void CompareRefit(HybridModel hybrid, HybridTrained served, ModelInput input, int top, long[] groups,
        Tastebuds.Core.Evaluation.HoldoutSplit? test)
    {
        var refitted = Stage("refit every component on the whole input (for the comparison only)",
            () => hybrid.Components.Select(c => c.Fit(input, CancellationToken.None)).ToArray());
        var reference = hybrid.Combine(refitted, served.Tuning);
        var sample = Enumerable.Range(0, input.UserCount).ToArray();
        new Random(11).Shuffle(sample);
        var validation = served.ServedFromTuningFit;
        foreach (var (label, users) in new[] { ("2,000 seeded users", sample.Take(2000).ToArray()), ("the validation users", validation.ToArray()) })
        {
            var shared = new double[users.Length];
            Parallel.For(0, users.Length, n =>
            {
                var a = ModelRanking.Top(served, users[n], top, groups, 3).Select(r => r.Item).ToHashSet();
                var b = ModelRanking.Top(reference, users[n], top, groups, 3).Select(r => r.Item).ToArray();
                shared[n] = b.Length == 0 ? 1 : b.Count(a.Contains) / (double)b.Length;
            });
            Console.WriteLine($"  top-{top} lists in common with the refit, {label}: mean {shared.DefaultIfEmpty(1).Average():P1}, " +
                $"min {shared.DefaultIfEmpty(1).Min():P1}");
        }

        if (test is not null)
        {
            var evaluated = test.EvaluatedUsers.ToArray();
            new Random(5).Shuffle(evaluated);
            evaluated = evaluated[..Math.Min(10_000, evaluated.Length)];
            Console.WriteLine($"  test NDCG@10 on {evaluated.Length:N0} users of a 20 % holdout (seed 42): served {TestNdcg(served, test, evaluated):F4}, " +
                $"refit {TestNdcg(reference, test, evaluated):F4}");
        }
    }

    private static double TestNdcg(ITrainedModel model, Tastebuds.Core.Evaluation.HoldoutSplit test, int[] users)
    {
        var ndcg = new double[users.Length];
        Parallel.For(0, users.Length, n =>
        {
            var targets = test.TestItems(users[n]).ToHashSet();
            var list = ModelRanking.Top(model, users[n], 10);
            var dcg = list.Select((r, rank) => targets.Contains(r.Item) ? 1 / Math.Log2(rank + 2) : 0).Sum();
            var idcg = Enumerable.Range(0, Math.Min(10, targets.Count)).Sum(rank => 1 / Math.Log2(rank + 2));
            ndcg[n] = idcg > 0 ? dcg / idcg : 0;
        });
        return ndcg.Average();
    }

    private static T Stage<T>(string name, Func<T> run)
    {
        var wall = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var result = run();
        Console.WriteLine($"{name}: {wall.Elapsed.TotalSeconds:F1} s wall, CPU {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F1} s; " +
            $"peak working set {PeakMb():F0} MB");
        return result;
    }

    private static double PeakMb()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64 / 1e6;
    }

    private static InteractionMatrix Build(int users, int tracks) => InteractionMatrix.Build(AlsScaleWorld.Create(users, tracks, seed: 42));
}
