using System.Collections.Concurrent;
using System.Diagnostics;

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
        var parallel = new ParallelOptions
        {
            CancellationToken = cancellationToken,
            MaxDegreeOfParallelism = options.MaxDegreeOfParallelism > 0 ? options.MaxDegreeOfParallelism : Environment.ProcessorCount,
        };

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
                var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(block);
                Candidates(weighted, weightedCells, span, options.EmbeddingCandidates, options.EmbeddingProbes, scratch.Weighted, scratch.Cells);
                Candidates(binary, binaryCells, span, options.EmbeddingBinaryCandidates, options.EmbeddingProbes, scratch.Binary, scratch.Cells);
                var ws = scratch.Workspace;
                ws.PhaseTicks[PairWorkspace.ShortlistPhase] += Stopwatch.GetTimestamp() - started;
                for (var i = 0; i < span.Length; i++)
                {
                    var u = span[i];
                    var rescoring = Stopwatch.GetTimestamp();
                    var slots = RescoreCandidates(slices, u, scratch, scratch.Weighted[i], scratch.Binary[i]);
                    var rescored = Stopwatch.GetTimestamp();
                    ws.PhaseTicks[PairWorkspace.RescorePhase] += rescored - rescoring;
                    Select(slices, options, u, ws, slots, result);
                    ws.Reset(slots.Count);
                    ws.PhaseTicks[PairWorkspace.SelectPhase] += Stopwatch.GetTimestamp() - rescored;
                }

                return scratch;
            },
            scratch =>
            {
                totals.Drain(scratch.Workspace);
                pool.Add(scratch);
            });

        return new NeighbourSet(result, totals.Stats(n, result, prepared, clock.Elapsed));
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
    /// The union of a target's candidates from both sets, each given its exact sums over every shared item: per kind the
    /// target's weights go into a dense array, and each candidate's whole row is walked against it in ascending item
    /// order, the order the exact search adds them in (so the sums are bit for bit the exact search's).
    /// </summary>
    private static List<int> RescoreCandidates(KindSlice[] slices, int u, EmbeddedScratch scratch, TopCandidates weighted, TopCandidates binary)
    {
        var ws = scratch.Workspace;
        var slots = ws.Shortlist;
        slots.Clear();
        // Ascending user order, each user once: the same slots whatever order the sets held them in (Select's result does
        // not depend on it).
        var first = weighted.Finish();
        var second = binary.Finish();
        var users = scratch.Users.Length >= first.Length + second.Length ? scratch.Users : scratch.Users = new int[first.Length + second.Length];
        var n = 0;
        foreach (var key in first)
        {
            users[n++] = TopCandidates.UserOf(key);
        }

        foreach (var key in second)
        {
            users[n++] = TopCandidates.UserOf(key);
        }

        users.AsSpan(0, n).Sort();
        for (var i = 0; i < n; i++)
        {
            if (i == 0 || users[i] != users[i - 1])
            {
                slots.Add(ws.SlotOf(users[i]));
            }
        }

        for (var kind = 0; kind < slices.Length; kind++)
        {
            var s = slices[kind];
            var target = ws.TargetWeights[kind];
            var marks = scratch.Marks[kind];
            for (var e = s.UserOffsets[u]; e < s.UserOffsets[u + 1]; e++)
            {
                target[s.Items[e]] = s.Weights[e];
                marks[s.Items[e] >> 6] |= 1UL << (s.Items[e] & 63);
            }

            var ordered = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(slots);
            for (var i = 0; i < ordered.Length; i++)
            {
                if (i + PrefetchAhead < ordered.Length)
                {
                    var ahead = ws.Candidates[ordered[i + PrefetchAhead]];
                    Prefetch.Range(s.Items, s.UserOffsets[ahead], s.UserOffsets[ahead + 1]);
                    Prefetch.Range(s.Weights, s.UserOffsets[ahead], s.UserOffsets[ahead + 1]);
                }

                var slot = ordered[i];
                var v = ws.Candidates[slot];
                ws.AddMarked(slot, kind, target, marks, s.Items, s.Weights, s.UserOffsets[v], s.UserOffsets[v + 1]);
            }

            for (var e = s.UserOffsets[u]; e < s.UserOffsets[u + 1]; e++)
            {
                marks[s.Items[e] >> 6] = 0;
            }
        }

        return slots;
    }

    /// <summary>A worker's buffers for the embedding search: a workspace whose target arrays span every item, and a heap per block target.</summary>
    private sealed class EmbeddedScratch(int users, int[] itemCounts)
    {
        public PairWorkspace Workspace { get; } = new(users, itemCounts);

        public List<int> Block { get; } = new(TargetBlock);

        /// <summary>Per kind, the target's items as bits (cleared after each target).</summary>
        public ulong[][] Marks { get; } = itemCounts.Select(c => new ulong[(c + 63) / 64]).ToArray();

        public TopCandidates[] Weighted { get; } = Enumerable.Range(0, TargetBlock).Select(_ => new TopCandidates()).ToArray();

        public TopCandidates[] Binary { get; } = Enumerable.Range(0, TargetBlock).Select(_ => new TopCandidates()).ToArray();

        /// <summary>A target's candidates from both sets, sorted.</summary>
        public int[] Users { get; set; } = new int[2048];

        /// <summary>The cells a target scans, best first by centroid score.</summary>
        public BoundedHeap Cells { get; } = new();
    }
}
