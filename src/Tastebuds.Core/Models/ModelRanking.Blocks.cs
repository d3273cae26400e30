using System.Collections.Concurrent;

namespace Tastebuds.Core.Models;

public static partial class ModelRanking
{
    /// <summary>
    /// Every user's top list and its explanations (as <see cref="TopAllExplained"/>), handed on block after block of
    /// <paramref name="blockUsers"/> users, each user's list mapped by <paramref name="map"/> in parallel: a caller that
    /// streams the blocks (the recommendation stage into its COPY) holds one block, never every list. A block is computed
    /// when the enumeration asks for it, so a consumer that falls behind stops the work instead of piling it up.
    /// </summary>
    public static IEnumerable<T[]> ExplainedBlocks<T>(ITrainedModel model, int count, int blockUsers, Func<int, RankedList, T> map,
        CancellationToken cancellationToken, long[]? groupOfItem = null, int maxPerGroup = int.MaxValue, int maxDegreeOfParallelism = -1,
        IReadOnlyDictionary<int, int[]>? excluded = null, int explain = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(map);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockUsers, 1);
        return Blocks(model, count, blockUsers, map, groupOfItem, maxPerGroup, excluded, explain,
            Parallelism.Options(maxDegreeOfParallelism, cancellationToken));
    }

    private static IEnumerable<T[]> Blocks<T>(ITrainedModel model, int count, int blockUsers, Func<int, RankedList, T> map,
        long[]? groupOfItem, int maxPerGroup, IReadOnlyDictionary<int, int[]>? excluded, int explain, ParallelOptions options)
    {
        var pool = new ConcurrentBag<double[][]>();
        var userCount = model.Input.UserCount;
        for (var first = 0; first < userCount; first += blockUsers)
        {
            var block = new T[Math.Min(blockUsers, userCount - first)];
            var start = first;
            if (model is ICandidateRanker ranker)
            {
                Parallel.For(0, block.Length, options, n =>
                {
                    var (list, reasons) = ranker.TopExplained(start + n, count, groupOfItem, maxPerGroup, excluded?.GetValueOrDefault(start + n),
                        explain);
                    block[n] = map(start + n, new RankedList(list, reasons));
                });
            }
            else
            {
                var lists = new ModelRecommendation[block.Length][];
                TopRange(model, start, lists, count, pool, groupOfItem, maxPerGroup, excluded, options);
                Parallel.For(0, block.Length, options, n =>
                    block[n] = map(start + n, new RankedList(lists[n], model.ExplainAll(start + n, [.. lists[n].Take(explain).Select(r => r.Item)]))));
            }

            yield return block;
        }
    }
}
