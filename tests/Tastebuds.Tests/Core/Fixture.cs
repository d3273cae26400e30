using Tastebuds.Core;
using Tastebuds.Core.Similarity;

namespace Tastebuds.Tests.Core;

/// <summary>Small hand-written matrices: raw play counts as weights so expected values stay readable.</summary>
internal static class Fixture
{
    public static readonly WeightingOptions Raw = new() { Transform = PlayCountTransform.Raw };

    /// <summary>Lets every pair sharing an item through, unshrunk.</summary>
    public static readonly SimilarityOptions Permissive = new()
    {
        SimilarityThreshold = double.NegativeInfinity,
        MinSharedItems = 1,
        ShrinkageShared = 0,
        MaxSimilarUsers = 100,
        MaxDegreeOfParallelism = 1,
    };

    public static IEnumerable<Interaction> Artists(long user, params (long Item, long Plays)[] items) =>
        items.Select(i => new Interaction(user, ItemKind.Artist, i.Item, i.Plays, false));

    public static IEnumerable<Interaction> Tracks(long user, params (long Item, long Plays)[] items) =>
        items.Select(i => new Interaction(user, ItemKind.Track, i.Item, i.Plays, false));

    public static InteractionMatrix Matrix(WeightingOptions weighting, params IEnumerable<Interaction>[] users) =>
        InteractionMatrix.Build(users.SelectMany(u => u), weighting);

    /// <summary>The neighbour entry of user 1 in user 0's list, or null when it is not there.</summary>
    public static Neighbour? Pair(InteractionMatrix matrix, SimilarityMetric metric, SimilarityOptions? options = null)
    {
        var set = NeighbourFinder.Compute(matrix, options ?? Permissive, CancellationToken.None);
        return set.Of(0, metric).SingleOrDefault(n => n.User == 1);
    }

    public static double Score(InteractionMatrix matrix, SimilarityMetric metric) =>
        Pair(matrix, metric)?.Score ?? throw new AssertionException("user 1 is not a neighbour of user 0");
}
