using System.Collections.Concurrent;
using System.Diagnostics;
using Tastebuds.Core.Similarity;

namespace Tastebuds.Core.Recommendations;

/// <summary>
/// Neighbour-based scoring: <c>score(t) = Σ_{v∈N(u), t∈I(v)} sim(u,v)·w(v,t) / Σ_{v∈N(u)} sim(u,v)
/// + PopularityWeight · pop(t)</c> over items u has no interaction with.
/// </summary>
public static class Recommender
{
    /// <param name="artistOfTrack">
    /// Per dense item index of <see cref="RecommendationOptions.Kind"/>, a group key (artist id) for
    /// <see cref="RecommendationOptions.MaxTracksPerArtist"/>; null means no cap.
    /// </param>
    public static RecommendationSet Recommend(
        InteractionMatrix matrix,
        NeighbourSet neighbours,
        SimilarityMetric metric,
        RecommendationOptions options,
        long[]? artistOfTrack,
        CancellationToken cancellationToken) =>
        Recommend(matrix, neighbours, metric, options, artistOfTrack, null, cancellationToken);

    /// <param name="excluded">
    /// Per user index, dense items of the recommended kind never to recommend to that user (tracks the user dismissed
    /// or disliked); they are skipped like heard items, so the user still gets a full list.
    /// </param>
    public static RecommendationSet Recommend(
        InteractionMatrix matrix,
        NeighbourSet neighbours,
        SimilarityMetric metric,
        RecommendationOptions options,
        long[]? artistOfTrack,
        IReadOnlyDictionary<int, int[]>? excluded,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(neighbours);
        ArgumentNullException.ThrowIfNull(options);
        var slice = matrix.Slice(options.Kind);
        if (artistOfTrack is not null && artistOfTrack.Length != slice.ItemIds.Length)
        {
            throw new ArgumentException("Needs one artist per item of the recommended kind.", nameof(artistOfTrack));
        }

        var clock = Stopwatch.StartNew();
        var result = new Recommendation[matrix.UserCount][];
        var popularity = HeldPopularity(slice, matrix.UserCount);
        var pool = new ConcurrentBag<CandidateWorkspace>();
        var parallel = Parallelism.Options(options.MaxDegreeOfParallelism, cancellationToken);
        Parallel.For(
            0,
            matrix.UserCount,
            parallel,
            () => pool.TryTake(out var reused) ? reused : new CandidateWorkspace(slice.ItemIds.Length),
            (u, _, workspace) =>
            {
                result[u] = ForUser(slice, neighbours.Of(u, metric), u, options, artistOfTrack, popularity,
                    excluded?.GetValueOrDefault(u), workspace);
                return workspace;
            },
            pool.Add);
        return new RecommendationSet(metric, options.Kind, result, clock.Elapsed);
    }

    /// <summary>
    /// One user's recommendations, for the incremental step: <paramref name="matrix"/> may hold only that user and
    /// their neighbours, so <c>pop(t)</c> comes from <paramref name="popularity"/> (dense item → pop, computed over all
    /// users) instead of the matrix. Same formula, order and tie-breaks as <see cref="Recommend(InteractionMatrix, NeighbourSet, SimilarityMetric, RecommendationOptions, long[], CancellationToken)"/>.
    /// </summary>
    public static IReadOnlyList<Recommendation> RecommendOne(
        InteractionMatrix matrix,
        int user,
        IReadOnlyList<Neighbour> neighbours,
        RecommendationOptions options,
        long[]? artistOfTrack,
        Func<int, double> popularity,
        int[]? excluded)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(neighbours);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(popularity);
        var slice = matrix.Slice(options.Kind);
        return ForUser(slice, neighbours, user, options, artistOfTrack, popularity, excluded,
            new CandidateWorkspace(slice.ItemIds.Length));
    }

    /// <summary><c>pop(t) = ln(1 + n_t) / ln(1 + N)</c> with n_t the holders of t in the matrix and N its users.</summary>
    private static Func<int, double> HeldPopularity(KindSlice slice, int users)
    {
        var scale = Math.Log(1.0 + users);
        return item => scale > 0 ? Math.Log(1.0 + (slice.ItemOffsets[item + 1] - slice.ItemOffsets[item])) / scale : 0.0;
    }

    private static Recommendation[] ForUser(KindSlice slice, IReadOnlyList<Neighbour> neighbours, int u,
        RecommendationOptions options, long[]? artistOfTrack, Func<int, double> popularityOf, int[]? excluded, CandidateWorkspace ws)
    {
        var similaritySum = 0.0;
        foreach (var n in neighbours)
        {
            similaritySum += Strength(n, options);
        }

        if (similaritySum <= 0)
        {
            return [];
        }

        foreach (var n in neighbours)
        {
            var v = n.User;
            var strength = Strength(n, options) * Scale(slice, v, options);
            for (var e = slice.UserOffsets[v]; e < slice.UserOffsets[v + 1]; e++)
            {
                if (slice.PlayCounts[e] > 0 || slice.Loved[e])
                {
                    ws.Add(slice.Items[e], strength * slice.Weights[e]);
                }
            }
        }

        // Items the user already has (any interaction) are never recommended.
        for (var e = slice.UserOffsets[u]; e < slice.UserOffsets[u + 1]; e++)
        {
            ws.Exclude(slice.Items[e]);
        }

        foreach (var item in excluded ?? [])
        {
            ws.Exclude(item);
        }

        var ranked = new List<(double Score, int Item, double Popularity)>(ws.Count);
        for (var c = 0; c < ws.Count; c++)
        {
            var item = ws.Touched[c];
            if (ws.IsExcluded(item))
            {
                continue;
            }

            var popularity = popularityOf(item);
            ranked.Add(((ws.Evidence[item] / similaritySum) + (options.PopularityWeight * popularity), item, popularity));
        }

        ws.Reset();
        ranked.Sort(static (a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Item.CompareTo(b.Item));

        var picked = new List<Recommendation>(Math.Min(options.RecommendationsPerUser, ranked.Count));
        var perArtist = artistOfTrack is null ? null : new Dictionary<long, int>();
        foreach (var (score, item, popularity) in ranked)
        {
            if (picked.Count == options.RecommendationsPerUser)
            {
                break;
            }

            if (perArtist is not null)
            {
                var artist = artistOfTrack![item];
                var already = perArtist.GetValueOrDefault(artist);
                if (already >= options.MaxTracksPerArtist)
                {
                    continue;
                }

                perArtist[artist] = already + 1;
            }

            var (supporters, top) = Explain(slice, neighbours, item, similaritySum, options);
            picked.Add(new Recommendation(item, picked.Count + 1, score, popularity, supporters, top));
        }

        return [.. picked];
    }

    /// <summary>The weight of a neighbour's evidence: sim^p, and nothing for non-positive similarities.</summary>
    private static double Strength(Neighbour n, RecommendationOptions options) =>
        n.Score <= 0 ? 0.0 : options.SimilarityExponent == 1.0 ? n.Score : Math.Pow(n.Score, options.SimilarityExponent);

    private static double Scale(KindSlice slice, int v, RecommendationOptions options) =>
        options.NormaliseNeighbourWeights && slice.Norms[v] > 0 ? 1.0 / slice.Norms[v] : 1.0;

    private static (int Supporters, NeighbourContribution[] Top) Explain(KindSlice slice, IReadOnlyList<Neighbour> neighbours,
        int item, double similaritySum, RecommendationOptions options)
    {
        var all = new List<NeighbourContribution>();
        foreach (var n in neighbours)
        {
            var e = slice.Find(n.User, item);
            if (e >= 0 && (slice.PlayCounts[e] > 0 || slice.Loved[e]))
            {
                all.Add(new NeighbourContribution(n.User, n.Score, slice.PlayCounts[e], slice.Loved[e],
                    Strength(n, options) * Scale(slice, n.User, options) * slice.Weights[e] / similaritySum));
            }
        }

        var top = all
            .OrderByDescending(c => c.Amount)
            .ThenBy(c => c.Neighbour)
            .Take(options.MaxExplanationNeighbours)
            .ToArray();
        return (all.Count, top);
    }
}
