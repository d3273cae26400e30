using System.Collections.Concurrent;

namespace Tastebuds.Core.Models;

/// <summary>
/// Top-N lists from a fitted model: items scoring &gt; 0, never the user's own items, score descending, ties to the
/// lower item index, with an optional cap per group (artist of a track).
/// </summary>
public static partial class ModelRanking
{
    public static ModelRecommendation[] Top(ITrainedModel model, int user, int count, long[]? groupOfItem = null, int maxPerGroup = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(model);
        var scores = new double[model.Input.ItemCount];
        return Top(model, user, count, scores, groupOfItem, maxPerGroup);
    }

    /// <summary>
    /// Every user's top list, in parallel; a user index maps to its list. A model that can score several users in
    /// one pass (<see cref="IBatchScorer"/>, iALS) is asked for <see cref="BatchSize"/> users at a time.
    /// </summary>
    /// <param name="excluded">Per user, items never to recommend beyond the user's own (dismissed or disliked tracks).</param>
    public static ModelRecommendation[][] TopAll(ITrainedModel model, int count, CancellationToken cancellationToken,
        long[]? groupOfItem = null, int maxPerGroup = int.MaxValue, int maxDegreeOfParallelism = -1,
        IReadOnlyDictionary<int, int[]>? excluded = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var result = new ModelRecommendation[model.Input.UserCount][];
        if (model is ICandidateRanker ranker)
        {
            // The hybrid ranks its candidates only: no buffer of one score per item.
            Parallel.For(0, result.Length,
                Parallelism.Options(maxDegreeOfParallelism, cancellationToken),
                u => result[u] = ranker.Top(u, count, groupOfItem, maxPerGroup, excluded?.GetValueOrDefault(u)));
            return result;
        }

        TopRange(model, 0, result, count, new ConcurrentBag<double[][]>(), groupOfItem, maxPerGroup, excluded,
            Parallelism.Options(maxDegreeOfParallelism, cancellationToken));
        return result;
    }

    /// <summary>
    /// The top lists of users first .. first + lists.Length − 1 into <paramref name="lists"/>, by whole-catalogue
    /// scores (batches of <see cref="BatchSize"/> users for an <see cref="IBatchScorer"/>); score buffers come from and
    /// go back to <paramref name="pool"/>, so a caller going block by block allocates them once.
    /// </summary>
    private static void TopRange(ITrainedModel model, int first, ModelRecommendation[][] lists, int count, ConcurrentBag<double[][]> pool,
        long[]? groupOfItem, int maxPerGroup, IReadOnlyDictionary<int, int[]>? excluded, ParallelOptions options)
    {
        var batch = model is IBatchScorer ? BatchSize : 1;
        Parallel.For(0, (lists.Length + batch - 1) / batch, options,
            () => pool.TryTake(out var s) ? s : [.. Enumerable.Range(0, batch).Select(_ => new double[model.Input.ItemCount])],
            (b, _, buffers) =>
            {
                var start = first + (b * batch);
                var users = Enumerable.Range(start, Math.Min(batch, first + lists.Length - start)).ToArray();
                foreach (var buffer in buffers)
                {
                    Array.Clear(buffer);
                }

                if (model is IBatchScorer scorer)
                {
                    scorer.ScoreBatch(users, buffers);
                }
                else
                {
                    model.Score(users[0], buffers[0]);
                }

                for (var n = 0; n < users.Length; n++)
                {
                    foreach (var item in excluded?.GetValueOrDefault(users[n]) ?? [])
                    {
                        buffers[n][item] = 0;
                    }

                    lists[users[n] - first] = Select(model, users[n], count, buffers[n], groupOfItem, maxPerGroup);
                }

                return buffers;
            },
            pool.Add);
    }

    /// <summary>
    /// <see cref="TopAll"/> and, for each user, <see cref="ITrainedModel.ExplainAll"/> of the first
    /// <paramref name="explain"/> items of the list (all of it by default): the same lists and explanations as the two
    /// calls, but a hybrid computes each user's candidates once instead of twice. Holds every explanation: at
    /// 100,000 users × 50 rows prefer <see cref="ForEachExplained"/>, which hands each user's list on and keeps none.
    /// </summary>
    public static RankedList[] TopAllExplained(ITrainedModel model, int count, CancellationToken cancellationToken,
        long[]? groupOfItem = null, int maxPerGroup = int.MaxValue, int maxDegreeOfParallelism = -1,
        IReadOnlyDictionary<int, int[]>? excluded = null, int explain = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(model);
        var result = new RankedList[model.Input.UserCount];
        ForEachExplained(model, count, (u, list) => result[u] = list, cancellationToken, groupOfItem, maxPerGroup, maxDegreeOfParallelism,
            excluded, explain);
        return result;
    }

    /// <summary>
    /// As <see cref="TopAllExplained"/>, calling <paramref name="sink"/> with each user's list as soon as it is ready
    /// (from several threads at once) instead of holding them all.
    /// </summary>
    public static void ForEachExplained(ITrainedModel model, int count, Action<int, RankedList> sink, CancellationToken cancellationToken,
        long[]? groupOfItem = null, int maxPerGroup = int.MaxValue, int maxDegreeOfParallelism = -1,
        IReadOnlyDictionary<int, int[]>? excluded = null, int explain = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(sink);
        var options = Parallelism.Options(maxDegreeOfParallelism, cancellationToken);
        if (model is ICandidateRanker ranker)
        {
            Parallel.For(0, model.Input.UserCount, options, u =>
            {
                var (list, reasons) = ranker.TopExplained(u, count, groupOfItem, maxPerGroup, excluded?.GetValueOrDefault(u), explain);
                sink(u, new RankedList(list, reasons));
            });
            return;
        }

        var lists = TopAll(model, count, cancellationToken, groupOfItem, maxPerGroup, maxDegreeOfParallelism, excluded);
        Parallel.For(0, lists.Length, options,
            u => sink(u, new RankedList(lists[u], model.ExplainAll(u, [.. lists[u].Take(explain).Select(r => r.Item)]))));
    }

    /// <summary>Users scored together by an <see cref="IBatchScorer"/>.</summary>
    public const int BatchSize = 16;

    /// <summary>As above, with a caller's buffer of one score per item (reused between users).</summary>
    public static ModelRecommendation[] Top(ITrainedModel model, int user, int count, double[] scores, long[]? groupOfItem, int maxPerGroup)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(scores);
        if (count <= 0)
        {
            return [];
        }

        Array.Clear(scores);
        model.Score(user, scores);
        return Select(model, user, count, scores, groupOfItem, maxPerGroup);
    }

    private static ModelRecommendation[] Select(ITrainedModel model, int user, int count, double[] scores, long[]? groupOfItem, int maxPerGroup)
    {
        foreach (var own in model.Input.ItemsOf(user))
        {
            scores[own] = 0;
        }

        return SelectFrom([], scores, count, groupOfItem, maxPerGroup);
    }

    /// <summary>
    /// The top list from scores[n] of item items[n] (of item n when <paramref name="items"/> is empty): the caller has
    /// zeroed what must not be recommended.
    /// </summary>
    [ThreadStatic]
    private static PriorityQueue<int, (double Score, int Item)>? t_selectHeap;

    internal static ModelRecommendation[] SelectFrom(ReadOnlySpan<int> items, ReadOnlySpan<double> scores, int count, long[]? groupOfItem, int maxPerGroup)
    {
        if (count <= 0)
        {
            return [];
        }

        // A bounded heap keeps the best `keep` items; with a group cap some may be skipped, so keep more.
        var keep = groupOfItem is null ? count : (int)Math.Min(scores.Length, (long)count * 4);
        // The thread's own heap, emptied (a new one per user was ≈ 5 KB of garbage at a top 50 with the group cap); a
        // heap for thousands of items is not kept.
        var heap = keep <= 4096
            ? t_selectHeap ??= new PriorityQueue<int, (double Score, int Item)>(WorstFirst.Instance)
            : new PriorityQueue<int, (double Score, int Item)>(keep + 1, WorstFirst.Instance);
        heap.Clear();
        // Once the heap is full, an item must beat its worst score (ties lose: they come later in item order),
        // which one comparison against `floor` rules out for nearly every item.
        var floor = 0.0;
        var mapped = !items.IsEmpty;
        for (var n = 0; n < scores.Length; n++)
        {
            var s = scores[n];
            var i = mapped ? items[n] : n;
            if (s > floor && double.IsFinite(s))
            {
                if (heap.Count < keep)
                {
                    heap.Enqueue(i, (s, i));
                }
                else
                {
                    heap.DequeueEnqueue(i, (s, i));
                }

                if (heap.Count == keep && heap.TryPeek(out _, out var worst))
                {
                    floor = worst.Score;
                }
            }
        }

        var ranked = new (double Score, int Item)[heap.Count];
        for (var n = ranked.Length - 1; n >= 0; n--)
        {
            heap.TryDequeue(out _, out ranked[n]);
        }

        var picked = new List<ModelRecommendation>(Math.Min(count, ranked.Length));
        var perGroup = groupOfItem is null ? null : new Dictionary<long, int>();
        foreach (var (score, item) in ranked)
        {
            if (picked.Count == count)
            {
                break;
            }

            if (perGroup is not null)
            {
                var group = groupOfItem![item];
                var already = perGroup.GetValueOrDefault(group);
                if (already >= maxPerGroup)
                {
                    continue;
                }

                perGroup[group] = already + 1;
            }

            picked.Add(new ModelRecommendation(item, picked.Count + 1, score));
        }

        return [.. picked];
    }
}
