using System.Collections.Concurrent;
using System.Diagnostics;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Tastebuds.Core.Similarity;

/// <summary>
/// The embedding search (docs/algorithms.md, "Embedding search"): each target's candidates are the users of largest
/// ⟨e_u, e_v⟩ in a low-rank <see cref="UserEmbedding"/> of the unit rows (and of the binary rows, for Jaccard), each
/// rescored exactly over all its shared items, then <see cref="Select"/> ranks the three metrics on them.
/// </summary>
public static partial class NeighbourFinder
{
    /// <summary>Targets scored against every user's vector in one pass: their vectors stay in the cache.</summary>
    private const int TargetBlock = 32;

    private static NeighbourSet ComputeEmbedded(InteractionMatrix matrix, SimilarityOptions options, IReadOnlyList<int>? targets,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var n = matrix.UserCount;
        var result = EmptyLists(n, targets);

        var slices = InteractionMatrix.Kinds.Select(matrix.Slice).ToArray();
        var parallel = Parallelism.Options(options.MaxDegreeOfParallelism, cancellationToken);

        // One embedding at a time, each given to its cells as soon as it is built: the cells keep the only copy the scan
        // reads, so at most one embedding (n·d floats) is alive beside them.
        (UserEmbedding? Embedding, EmbeddingCells? Cells) Prepare(int candidates, bool binaryRows, int cellSeed)
        {
            if (candidates <= 0)
            {
                return (null, null);
            }

            var embedding = UserEmbedding.Build(matrix, options, options.EmbeddingDimensions, binaryRows, cancellationToken: cancellationToken);
            return options.EmbeddingCells > 0 ? (null, new EmbeddingCells(embedding, options.EmbeddingCells, cellSeed, parallel)) : (embedding, null);
        }

        var (weighted, weightedCells) = Prepare(options.EmbeddingCandidates, binaryRows: false, cellSeed: 23);
        var (binary, binaryCells) = Prepare(options.EmbeddingBinaryCandidates, binaryRows: true, cellSeed: 29);
        var prepared = clock.Elapsed;
        var totals = new SearchTotals();
        var itemCounts = slices.Select(s => s.ItemIds.Length).ToArray();
        IReadOnlyList<int> all = targets ?? Enumerable.Range(0, n).ToArray();
        if (weightedCells is not null)
        {
            // Targets of one cell scan much the same cells: searched together, those stay in the cache.
            all = [.. all.OrderBy(u => weightedCells.CellOf[u]).ThenBy(u => u)];
        }

        var pool = new ConcurrentBag<EmbeddedScratch>();
        Parallel.For(
            0,
            (all.Count + TargetBlock - 1) / TargetBlock,
            parallel,
            () => pool.TryTake(out var reused) ? reused : new EmbeddedScratch(n, itemCounts),
            (b, _, scratch) =>
            {
                var from = b * TargetBlock;
                var block = scratch.Block;
                block.Clear();
                for (var i = from; i < Math.Min(all.Count, from + TargetBlock); i++)
                {
                    block.Add(all[i]);
                }

                var started = Stopwatch.GetTimestamp();
                var span = CollectionsMarshal.AsSpan(block);
                Candidates(weighted, weightedCells, span, options.EmbeddingCandidates, options.EmbeddingProbes, scratch.Weighted, scratch.Cells);
                Candidates(binary, binaryCells, span, options.EmbeddingBinaryCandidates, options.EmbeddingProbes, scratch.Binary, scratch.Cells);
                var ws = scratch.Workspace;
                var rescoring = Stopwatch.GetTimestamp();
                ws.PhaseTicks[PairWorkspace.ShortlistPhase] += rescoring - started;
                for (var i = 0; i < span.Length; i++)
                {
                    scratch.Counts[i] = CandidateUnion(scratch.Weighted[i], scratch.Binary[i], ref scratch.Lists[i]);
                }

                scratch.Rescoring.Run(slices, span, scratch.Lists, scratch.Counts);
                ws.PhaseTicks[PairWorkspace.RescorePhase] += Stopwatch.GetTimestamp() - rescoring;
                var selecting = Stopwatch.GetTimestamp();
                SelectBlock(slices, options, span, scratch.Rescoring, scratch.Heaps, result);
                ws.PairsEvaluated += scratch.Rescoring.Pairs;
                ws.PhaseTicks[PairWorkspace.SelectPhase] += Stopwatch.GetTimestamp() - selecting;
                ws.AccumulationSteps += scratch.Rescoring.Steps;
                scratch.Rescoring.Steps = 0;
                return scratch;
            },
            scratch =>
            {
                totals.Drain(scratch.Workspace);
                pool.Add(scratch);
            });

        return new NeighbourSet(result, totals.Stats(n, result, prepared, clock.Elapsed));
    }

    /// <summary>
    /// <see cref="Select"/> for every target of the block at once: the pairs are offered in the order of their sums (union
    /// candidate, then target), so the sums are read once, in order; each target still sees its candidates in ascending
    /// user order, as Select alone would offer them.
    /// </summary>
    private static void SelectBlock(KindSlice[] slices, SimilarityOptions options, ReadOnlySpan<int> block, BlockRescoring rescoring,
        BoundedHeap[][] heaps, NeighbourRow[][][] result)
    {
        var sums = rescoring.PairSums();
        var union = rescoring.UnionTargets;
        var firstPair = rescoring.FirstPair;
        Span<double> scores = stackalloc double[MetricCount];
        for (var i = 0; i < union.Length; i++)
        {
            var pair = firstPair[i];
            for (var targets = union[i]; targets != 0; targets &= targets - 1, pair++)
            {
                var t = BitOperations.TrailingZeroCount(targets);
                Offer(slices, options, block[t], sums, pair, heaps[t], scores);
            }
        }

        for (var t = 0; t < block.Length; t++)
        {
            Keep(slices, options, block[t], sums, heaps[t], result);
        }
    }

    /// <summary>Each block target's candidates from one embedding: from its best cells, or from every user.</summary>
    private static void Candidates(UserEmbedding? embedding, EmbeddingCells? cells, ReadOnlySpan<int> block, int count, int probes,
        TopCandidates[] tops, BoundedHeap cellHeap)
    {
        if (cells is not null)
        {
            cells.Nearest(block, probes, count, tops, cellHeap);
        }
        else if (embedding is not null)
        {
            embedding.Nearest(block, count, tops);
        }
        else
        {
            for (var i = 0; i < block.Length; i++)
            {
                tops[i].Reset(0);
            }
        }
    }

    /// <summary>
    /// A target's candidates from both sets into <paramref name="users"/> (grown as needed; a user in both sets is there
    /// twice, which <see cref="BlockRescoring"/>'s union absorbs); returns how many.
    /// </summary>
    private static int CandidateUnion(TopCandidates weighted, TopCandidates binary, ref int[] users)
    {
        var first = weighted.Finish();
        var second = binary.Finish();
        if (users.Length < first.Length + second.Length)
        {
            users = new int[first.Length + second.Length];
        }

        var n = 0;
        foreach (var key in first)
        {
            users[n++] = TopCandidates.UserOf(key);
        }

        foreach (var key in second)
        {
            users[n++] = TopCandidates.UserOf(key);
        }

        return n;
    }

    /// <summary>A worker's buffers for the embedding search: the block's rescoring, its candidate sets and heaps.</summary>
    private sealed class EmbeddedScratch(int users, int[] itemCounts)
    {
        /// <summary>Its phase clocks and counters only, drained into the run's totals (the sums live in <see cref="Rescoring"/>).</summary>
        public PairWorkspace Workspace { get; } = new(users, new int[itemCounts.Length]);

        public BlockRescoring Rescoring { get; } = new(users, itemCounts);

        public List<int> Block { get; } = new(TargetBlock);

        /// <summary>Per block target, a heap per metric (drained between blocks).</summary>
        public BoundedHeap[][] Heaps { get; } = Enumerable.Range(0, TargetBlock)
            .Select(_ => new[] { new BoundedHeap(), new BoundedHeap(), new BoundedHeap() }).ToArray();

        public TopCandidates[] Weighted { get; } = Enumerable.Range(0, TargetBlock).Select(_ => new TopCandidates()).ToArray();

        public TopCandidates[] Binary { get; } = Enumerable.Range(0, TargetBlock).Select(_ => new TopCandidates()).ToArray();

        /// <summary>Per block target, its candidates from both sets (the first <see cref="Counts"/>).</summary>
        public int[][] Lists { get; } = Enumerable.Range(0, TargetBlock).Select(_ => new int[2048]).ToArray();

        public int[] Counts { get; } = new int[TargetBlock];

        /// <summary>The cells a target scans, best first by centroid score.</summary>
        public BoundedHeap Cells { get; } = new();
    }
}
