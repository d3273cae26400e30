using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Tastebuds.Core;
using Tastebuds.Core.Similarity;

namespace Tastebuds.Benchmarks;

/// <summary>
/// `prune N [P...]`: the scale world (<see cref="ScaleWorld"/>) of N users in memory; the exact neighbour search, then
/// the pruned one for each cap P: time, pairs, accumulation steps and the recall of the exact top-50 per metric.
/// `prune N [P...] --sample S`: the pruned search over every user, but the exact search only for S seeded target users
/// (each visits every holder of its items: cheap), recall measured on them; for 100,000 users, where the exact search
/// over everyone would take an hour. Prints the thread time per phase and the process's working set.
/// `prune hetrec [P...]`: the same on HetRec's user × artist plays (1,892 users), where play counts are real.
/// </summary>
internal static class PruneMeasurement
{
    public static void Run(string[] args)
    {
        var sampleAt = Array.IndexOf(args, "--sample");
        var sample = sampleAt >= 0 ? int.Parse(args[sampleAt + 1], CultureInfo.InvariantCulture) : 0;
        if (sampleAt >= 0)
        {
            args = [.. args[..sampleAt], .. args[(sampleAt + 2)..]];
        }

        var rescoreAt = Array.IndexOf(args, "--rescore");
        var rescore = rescoreAt >= 0 ? int.Parse(args[rescoreAt + 1], CultureInfo.InvariantCulture) : new SimilarityOptions().RescoreFactor;
        if (rescoreAt >= 0)
        {
            args = [.. args[..rescoreAt], .. args[(rescoreAt + 2)..]];
        }

        // --sampled-only C: the pruned search runs for C seeded targets only (they include the S exact ones): the cost per
        // target, extrapolated to N.
        var onlyAt = Array.IndexOf(args, "--sampled-only");
        var costSample = onlyAt >= 0 ? int.Parse(args[onlyAt + 1], CultureInfo.InvariantCulture) : 0;
        if (onlyAt >= 0)
        {
            args = [.. args[..onlyAt], .. args[(onlyAt + 2)..]];
        }

        // --no-pearson-shortlist: the pruned search without Pearson's own shortlist (SimilarityOptions.PearsonShortlist).
        var pearsonShortlist = !args.Contains("--no-pearson-shortlist");
        // --no-recall: no exact search (with --sampled-only, the cost per target alone: side-by-side timings).
        var recall = !args.Contains("--no-recall");
        args = [.. args.Where(a => a != "--no-pearson-shortlist" && a != "--no-recall")];

        // --embed d,d,... [--candidates C,C,...] [--power q]: no pruned search; per dimension d the weighted and the binary
        // embedding (UserEmbedding), and the share of each sampled target's exact top-50 among its top-C by ⟨e_u, e_v⟩.
        var embed = Option(ref args, "--embed");
        var candidates = Option(ref args, "--candidates") ?? [500, 1000, 2000];
        var power = Option(ref args, "--power") ?? [1];

        // --embedded d,C,Cb[,K,p] (repeatable): after the pruned searches, the embedding search (SimilarityOptions.EmbeddingMinUsers)
        // with d dimensions, C candidates from the weighted rows' embedding and Cb from the binary rows', every user scanned
        // or (K, p) K cells of which p are scanned a target.
        var embedded = new List<int[]>();
        while (Option(ref args, "--embedded") is { } setting)
        {
            embedded.Add(setting);
        }

        var hetRec = args.Length > 0 && args[0] == "hetrec";
        var users = args.Length > 0 && !hetRec ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        var caps = args.Length > 1 ? args[1..].Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : embedded.Count > 0 ? [] : [1000];
        var matrix = Matrix(hetRec, users);
        using var memory = new PeakWorkingSet();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"matrix of {matrix.UserCount:N0} users built; working set {PeakWorkingSet.Current / 1e6:N0} MB, load {LoadAverage()}"));
        int[]? targets = sample > 0 ? SampleOf(matrix.UserCount, sample) : null;
        int[]? costTargets = costSample > 0 ? SampleOf(matrix.UserCount, Math.Max(costSample, sample)) : null;
        NeighbourSet? exact = null;
        if (recall)
        {
            var (set, exactCpu) = Timed(matrix, new SimilarityOptions(), targets);
            Print(targets is null ? "exact" : $"exact, {sample} sampled targets", set, exactCpu, null, matrix.UserCount, targets);
            exact = set;
        }

        if (embed is not null)
        {
            EmbeddingRecall(matrix, exact!, targets ?? [.. Enumerable.Range(0, matrix.UserCount)], embed, candidates, power[0]);
            return;
        }

        var searches = caps.Select(cap => (Cap: cap, Embedded: (int[]?)null)).Concat(embedded.Select(e => (Cap: 0, Embedded: (int[]?)e)));
        foreach (var (cap, embedding) in searches)
        {
            memory.Reset();
            var options = new SimilarityOptions { MaxHoldersPerItem = cap, RescoreFactor = rescore, PearsonShortlist = pearsonShortlist };
            if (embedding is not null)
            {
                options = options with
                {
                    EmbeddingMinUsers = 1, EmbeddingDimensions = embedding[0], EmbeddingCandidates = embedding[1], EmbeddingBinaryCandidates = embedding[2],
                    EmbeddingCells = embedding.Length > 3 ? embedding[3] : 0, EmbeddingProbes = embedding.Length > 4 ? embedding[4] : new SimilarityOptions().EmbeddingProbes,
                };
            }
            else
            {
                Console.WriteLine(Shape(matrix, cap));
            }

            // The search for no target at all: the CPU of its preparation (popular entries, strongest holders) alone,
            // taken off the sampled targets' CPU so that what is extrapolated is the cost per target only.
            var prepareCpu = costTargets is null ? TimeSpan.Zero : Timed(matrix, options, []).Cpu;
            var (pruned, cpu) = Timed(matrix, options, costTargets);
            Print(embedding is not null
                ? $"embedding search, d = {embedding[0]}, C = {embedding[1]} weighted + {embedding[2]} binary, {(embedding.Length > 3 ? $"{embedding[3]} cells, {(embedding.Length > 4 ? embedding[4] : 32)} probed" : "every user scanned")}"
                : $"P = {cap}, RescoreFactor {rescore}{(pearsonShortlist ? "" : ", no Pearson shortlist")}", pruned, cpu, exact, matrix.UserCount, targets);
            if (costTargets is not null)
            {
                var scale = (double)matrix.UserCount / costTargets.Length;
                var prepare = pruned.Stats.Phases.Prepare;
                var perTarget = cpu - prepareCpu;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"    {costTargets.Length:N0} targets; × {scale:0.#} for all {matrix.UserCount:N0}: prepare {prepare.TotalSeconds:0.0} s ({prepareCpu.TotalSeconds:0.0} s CPU alone) + {perTarget.TotalSeconds * scale:0.0} s CPU ({perTarget.TotalMilliseconds / costTargets.Length:0.00} ms CPU a target), {pruned.Stats.PairsEvaluated * scale / 1e6:0.0} M pairs, {pruned.Stats.AccumulationSteps * scale / 1e9:0.00} G steps"));
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    peak working set {memory.Peak / 1e6:N0} MB (after {PeakWorkingSet.Current / 1e6:N0} MB), load {LoadAverage()}"));
        }
    }

    private static int[]? Option(ref string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        if (at < 0)
        {
            return null;
        }

        var values = args[at + 1].Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        args = [.. args[..at], .. args[(at + 2)..]];
        return values;
    }

    /// <summary>The md5 of every user's vector, in user order: two builds of the same embedding compare bit for bit.</summary>
    private static string Md5(UserEmbedding embedding) => Fingerprint.Md5(hash =>
    {
        for (var u = 0; u < embedding.Users; u++)
        {
            hash.AppendData(MemoryMarshal.AsBytes(embedding.Of(u)));
        }
    });

    /// <summary>Per d and row shape (weighted, binary): the build's wall and CPU time, then per C the recall of the exact top-50 in the top-C.</summary>
    private static void EmbeddingRecall(InteractionMatrix matrix, NeighbourSet exact, int[] targets, int[] dimensions, int[] candidates, int power)
    {
        var metrics = Enum.GetValues<SimilarityMetric>();
        foreach (var d in dimensions)
        {
            foreach (var binary in new[] { false, true })
            {
                using var process = Process.GetCurrentProcess();
                var before = process.TotalProcessorTime;
                var embedding = UserEmbedding.Build(matrix, new SimilarityOptions(), d, binary, powerIterations: power);
                process.Refresh();
                var cpu = process.TotalProcessorTime - before;
                var found = new long[candidates.Length, metrics.Length];
                var scoring = Stopwatch.StartNew();
                var nearest = new int[targets.Length][];
                Parallel.For(0, targets.Length, i => nearest[i] = embedding.Nearest(targets[i], candidates.Max()));
                var scored = scoring.Elapsed;
                for (var t = 0; t < targets.Length; t++)
                {
                    var rank = new Dictionary<int, int>();
                    for (var r = 0; r < nearest[t].Length; r++)
                    {
                        rank[nearest[t][r]] = r;
                    }

                    foreach (var m in metrics)
                    {
                        foreach (var n in exact.Of(targets[t], m))
                        {
                            for (var c = 0; c < candidates.Length; c++)
                            {
                                found[c, (int)m] += rank.TryGetValue(n.User, out var r) && r < candidates[c] ? 1 : 0;
                            }
                        }
                    }
                }

                var totals = metrics.Select(m => targets.Sum(u => (long)exact.Of(u, m).Count)).ToArray();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"d = {d}, {(binary ? "binary" : "weighted")} rows, q = {power}: built in {embedding.Elapsed.TotalSeconds:0.000} s wall, {cpu.TotalSeconds:0.0} s CPU, md5 {Md5(embedding)}; top-{candidates.Max()} of {targets.Length} targets by brute force {scored.TotalSeconds:0.0} s wall; load {LoadAverage()}"));
                for (var c = 0; c < candidates.Length; c++)
                {
                    var shares = string.Join(", ", metrics.Select(m =>
                        string.Create(CultureInfo.InvariantCulture, $"{m} {(double)found[c, (int)m] / Math.Max(1, totals[(int)m]):P1}")));
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    C = {candidates[c]}: recall of the exact top-50 {shares}"));
                }
            }
        }
    }

    private static InteractionMatrix Matrix(bool hetRec, int users)
    {
        if (hetRec)
        {
            return InteractionMatrix.Build(DataFiles.HetRecInteractions());
        }

        // Built from the rows and then the rows dropped, so the working set printed is the matrix's, not the generator's.
        var matrix = InteractionMatrix.Build(ScaleWorld.Interactions(users, seed: 42));
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return matrix;
    }

    /// <summary>Per kind: items, entries a user, popular items (more than P holders), popular entries a user, and the holders a target visits (Σ min(df, P) over its items).</summary>
    private static string Shape(InteractionMatrix matrix, int cap)
    {
        var parts = new List<string>();
        foreach (var kind in InteractionMatrix.Kinds)
        {
            var df = new int[matrix.ItemCount(kind)];
            for (var i = 0; i < df.Length; i++)
            {
                df[i] = matrix.HoldersOf(kind, i).Length;
            }

            long entries = 0, popularEntries = 0, visits = 0;
            for (var u = 0; u < matrix.UserCount; u++)
            {
                foreach (var item in matrix.ItemsOf(u, kind))
                {
                    entries++;
                    popularEntries += df[item] > cap ? 1 : 0;
                    visits += Math.Min(df[item], cap);
                }
            }

            var n = (double)matrix.UserCount;
            parts.Add(string.Create(CultureInfo.InvariantCulture,
                $"{kind}: {df.Length:N0} items, {entries / n:0.0} a user, {df.Count(d => d > cap):N0} popular, {popularEntries / n:0.0} popular a user, {visits / n:N0} visits a target"));
        }

        return "    " + string.Join("; ", parts);
    }

    /// <summary>S distinct users drawn with a fixed seed, ascending.</summary>
    private static int[] SampleOf(int users, int count)
    {
        var random = new Random(12);
        var chosen = new HashSet<int>();
        while (chosen.Count < Math.Min(users, count))
        {
            chosen.Add(random.Next(users));
        }

        return [.. chosen.Order()];
    }

    /// <summary>The search and the CPU time it took (all threads): on a shared machine, steadier than the wall time.</summary>
    private static (NeighbourSet Set, TimeSpan Cpu) Timed(InteractionMatrix matrix, SimilarityOptions options, int[]? targets)
    {
        using var process = Process.GetCurrentProcess();
        var before = process.TotalProcessorTime;
        var set = NeighbourFinder.Compute(matrix, options, targets, CancellationToken.None);
        process.Refresh();
        return (set, process.TotalProcessorTime - before);
    }

    private static void Print(string what, NeighbourSet set, TimeSpan cpu, NeighbourSet? exact, int users, int[]? targets)
    {
        var recall = exact is null ? "" : string.Join(", ", Enum.GetValues<SimilarityMetric>().Select(m =>
            string.Create(CultureInfo.InvariantCulture, $"{m} {Recall(targets ?? Enumerable.Range(0, users), exact, set, m):P1}")));
        var p = set.Stats.Phases;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{users:N0} users, {what}: {set.Stats.Elapsed.TotalSeconds:0.0} s wall, {cpu.TotalSeconds:0.0} s CPU, {set.Stats.PairsEvaluated:N0} pairs, {set.Stats.AccumulationSteps:N0} steps; recall of the exact top-50 {recall}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"    thread time: prepare {p.Prepare.TotalSeconds:0.0} s, accumulate {p.Accumulate.TotalSeconds:0.0} s, shortlist {p.Shortlist.TotalSeconds:0.0} s, rescore {p.Rescore.TotalSeconds:0.0} s, select {p.Select.TotalSeconds:0.0} s; neighbours {set.Stats.NeighboursKept:N0}"));
    }

    private static double Recall(IEnumerable<int> targets, NeighbourSet exact, NeighbourSet pruned, SimilarityMetric metric)
    {
        long found = 0, total = 0;
        foreach (var u in targets)
        {
            var kept = pruned.Of(u, metric).Select(n => n.User).ToHashSet();
            total += exact.Of(u, metric).Count;
            found += exact.Of(u, metric).Count(n => kept.Contains(n.User));
        }

        return total == 0 ? 1.0 : (double)found / total;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    /// <summary>The process's working set, sampled every 50 ms on a thread of its own, and its peak since the last reset.</summary>
    private sealed class PeakWorkingSet : IDisposable
    {
        private readonly Timer _timer;
        private long _peak;

        public PeakWorkingSet()
        {
            _timer = new Timer(_ => Sample(), null, 0, 50);
        }

        public static long Current => Environment.WorkingSet;

        public long Peak
        {
            get
            {
                Sample();
                return Interlocked.Read(ref _peak);
            }
        }

        public void Reset() => Interlocked.Exchange(ref _peak, Environment.WorkingSet);

        public void Dispose() => _timer.Dispose();

        private void Sample()
        {
            var now = Environment.WorkingSet;
            long seen;
            while (now > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, seen) != seen)
            {
            }
        }
    }
}
