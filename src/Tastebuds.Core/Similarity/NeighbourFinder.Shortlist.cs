namespace Tastebuds.Core.Similarity;

/// <summary>The pruned search's shortlist and its exact rescoring (docs/algorithms.md, "Pruned search", steps 2–3).</summary>
public static partial class NeighbourFinder
{
    /// <summary>The rescoring asks for the popular row of the candidate this many places ahead while it adds up the current one's.</summary>
    internal const int PrefetchAhead = 4;

    /// <summary>
    /// After a pruned accumulation: among the candidates seen sharing the most items (<see cref="SeenThreshold"/>), the
    /// <see cref="SimilarityOptions.ShortlistCapacity"/> best by cosine and by Jaccard (RescoreFactor·K, doubled above
    /// <see cref="SimilarityOptions.PearsonShortlistMaxUsers"/>) on their estimated sums (exact over unpopular items plus the popular
    /// items seen among their strongest holders; no threshold: the estimates undercount; candidates with fewer than half of
    /// MinSharedItems seen are skipped), and with <see cref="SimilarityOptions.PearsonShortlistFor"/> the number of users
    /// the 2·RescoreFactor·K best by Pearson over their unpopular shared items. Their union is the shortlist: each shortlisted candidate's
    /// popular entries are looked up in the target's and added to its exact sums, which are then exact over every item.
    /// <see cref="Select"/> ranks all three metrics on the shortlist.
    /// </summary>
    /// <returns>The shortlisted slots.</returns>
    private static List<int> Rescore(KindSlice[] slices, PopularEntries[] popular, SimilarityOptions options, int u, PairWorkspace ws)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var users = slices[0].UserOffsets.Length - 1;
        var capacity = options.ShortlistCapacity(users);
        var heaps = ws.Heaps;
        var minShared = Math.Max(1, options.MinSharedItems / 2);
        Span<double> scores = stackalloc double[3];
        var atLeast = SeenThreshold(ws, PoolFactor * capacity);
        var pearson = options.PearsonShortlistFor(users);
        var pool = ws.Pool;
        pool.Clear();
        foreach (var slot in ws.Qualified)
        {
            if (ws.SeenOf(slot) >= atLeast)
            {
                pool.Add(slot);
            }
        }

        var poolSlots = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(pool);
        for (var i = 0; i < poolSlots.Length; i++)
        {
            if (i + PrefetchAhead < poolSlots.Length)
            {
                AheadOfScoring(slices, ws, poolSlots[i + PrefetchAhead]);
            }

            var slot = poolSlots[i];
            var v = ws.Candidates[slot];
            if (!Estimated(slices, options, u, v, ws, slot, minShared, pearson, scores))
            {
                continue;
            }

            Offer(heaps[(int)SimilarityMetric.Cosine], slot, scores[0], v, capacity);
            Offer(heaps[(int)SimilarityMetric.Jaccard], slot, scores[1], v, capacity);
            if (pearson)
            {
                Offer(heaps[(int)SimilarityMetric.Pearson], slot, scores[2], v, PearsonFactor * capacity);
            }
        }

        var shortlist = ws.Shortlist;
        shortlist.Clear();
        // Only the members count, not their order: no dequeue (log capacity comparisons each), just a walk and a clear.
        foreach (var heap in heaps)
        {
            foreach (var kept in heap.Unordered)
            {
                var slot = kept.Slot;
                var v = ws.Candidates[slot];
                if (ws.Stamps[v] != u + 1)
                {
                    ws.Stamps[v] = u + 1;
                    shortlist.Add(slot);
                }
            }

            heap.Clear();
        }

        var shortlisted = System.Diagnostics.Stopwatch.GetTimestamp();
        ws.PhaseTicks[PairWorkspace.ShortlistPhase] += shortlisted - started;
        for (var kind = 0; kind < slices.Length; kind++)
        {
            var p = popular[kind];
            var target = ws.TargetWeights[kind];
            var holds = ws.TargetHolds[kind];
            for (var e = p.Offsets[u]; e < p.Offsets[u + 1]; e++)
            {
                target[p.Items[e]] = p.Weights[e];
                holds[p.Items[e]] = 1;
            }

            var slots = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(shortlist);
            for (var i = 0; i < slots.Length; i++)
            {
                if (i + PrefetchAhead < slots.Length)
                {
                    var ahead = ws.Candidates[slots[i + PrefetchAhead]];
                    Prefetch.Range(p.Items, p.Offsets[ahead], p.Offsets[ahead + 1]);
                    Prefetch.Range(p.Weights, p.Offsets[ahead], p.Offsets[ahead + 1]);
                }

                var v = ws.Candidates[slots[i]];
                ws.AddShared(slots[i], kind, target, holds, p.Items, p.Weights, p.Offsets[v], p.Offsets[v + 1]);
            }

            for (var e = p.Offsets[u]; e < p.Offsets[u + 1]; e++)
            {
                holds[p.Items[e]] = 0;
            }
        }

        ws.PhaseTicks[PairWorkspace.RescorePhase] += System.Diagnostics.Stopwatch.GetTimestamp() - shortlisted;
        return shortlist;
    }

    /// <summary>Prefetch hints for scoring the candidate in <paramref name="slot"/>: its sums, estimates, item counts and norms.</summary>
    private static void AheadOfScoring(KindSlice[] slices, PairWorkspace ws, int slot)
    {
        var a = PairWorkspace.AccIndex(slot, 0);
        Prefetch.Range(ws.Acc, a, a + PairWorkspace.AccIndex(1, 0));
        Prefetch.At(ws.Estimates, PairWorkspace.EstimateIndex(slot, 0));
        var v = ws.Candidates[slot];
        foreach (var s in slices)
        {
            Prefetch.At(s.UserOffsets, v);
            Prefetch.At(s.Norms, v);
        }
    }

    /// <summary>
    /// The largest number of seen shared items t such that at least <paramref name="pool"/> qualified candidates were
    /// seen sharing t or more (all of them when fewer qualified): only those are scored for the shortlist. A pass over
    /// one int per candidate instead of the estimated scores of tens of thousands of candidates at 100,000 users.
    /// </summary>
    private static int SeenThreshold(PairWorkspace ws, int pool)
    {
        var histogram = ws.SeenHistogram;
        Array.Clear(histogram);
        foreach (var slot in ws.Qualified)
        {
            histogram[Math.Min(ws.SeenOf(slot), PairWorkspace.MaxSeen)]++;
        }

        var kept = 0;
        for (var t = PairWorkspace.MaxSeen; t > 0; t--)
        {
            kept += histogram[t];
            if (kept >= pool)
            {
                return t;
            }
        }

        return 0;
    }

    /// <summary>
    /// Cosine and Jaccard of a candidate from its exact sums plus its estimates, and Pearson from the exact sums only
    /// (over the unpopular shared items: the estimates keep no Σx, Σy, Σx², Σy²) when <paramref name="pearson"/> (else 0);
    /// false below the shared minimum.
    /// </summary>
    private static bool Estimated(KindSlice[] slices, SimilarityOptions options, int u, int v, PairWorkspace ws, int slot,
        int minShared, bool pearson, Span<double> scores)
    {
        var shared = 0.0;
        for (var kind = 0; kind < slices.Length; kind++)
        {
            shared += ws.SharedOf(slot, kind) + ws.Estimates[PairWorkspace.EstimateIndex(slot, kind)];
        }

        if (shared < minShared)
        {
            return false;
        }

        scores.Clear();
        var alphaSum = 0.0;
        for (var kind = 0; kind < slices.Length; kind++)
        {
            var s = slices[kind];
            if (s.Count(u) == 0 || s.Count(v) == 0)
            {
                continue;
            }

            var alpha = options.KindWeight((ItemKind)kind);
            alphaSum += alpha;
            var i = PairWorkspace.EstimateIndex(slot, kind);
            var sharedK = ws.SharedOf(slot, kind) + ws.Estimates[i];
            scores[0] += alpha * PairScores.Cosine(ws.Acc[PairWorkspace.AccIndex(slot, kind) + PairWorkspace.Dot] + ws.Estimates[i + 1], s.Norms[u], s.Norms[v]);
            scores[1] += alpha * PairScores.Jaccard(sharedK, s.Count(u), s.Count(v));
            var a = PairWorkspace.AccIndex(slot, kind);
            scores[2] += !pearson ? 0.0 : alpha * PairScores.Pearson(ws.Acc[a], ws.Acc[a + PairWorkspace.SumX], ws.Acc[a + PairWorkspace.SumY], ws.Acc[a + PairWorkspace.SumXX], ws.Acc[a + PairWorkspace.SumYY], ws.Acc[a + PairWorkspace.Dot]);
        }

        var significance = PairScores.Significance(shared, options.ShrinkageShared);
        scores[0] = alphaSum > 0 ? scores[0] / alphaSum * significance : 0.0;
        scores[1] = alphaSum > 0 ? scores[1] / alphaSum * significance : 0.0;
        scores[2] = alphaSum > 0 ? scores[2] / alphaSum * significance : 0.0;
        return true;
    }
}
