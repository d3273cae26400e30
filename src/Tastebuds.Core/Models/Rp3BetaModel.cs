namespace Tastebuds.Core.Models;

/// <summary>
/// RP3beta (Paudel et al. 2017; the form of Dacrema et al. 2019): a three-step random walk item → user → item with
/// transition probabilities raised to α and the target's popularity divided out:
/// <c>W(i,j) = Σ_u (r(u,i)/Σ_v r(v,i))^α · (r(u,j)/Σ_k r(u,k))^α / deg(j)^β</c>, top <see cref="Neighbours"/> per item;
/// <c>s(u,j) = Σ_{i∈I(u)} r(u,i)·W(i,j)</c>. r is 1 for every interaction, or w(u,i) when <see cref="UseWeights"/>.
/// </summary>
public sealed record Rp3BetaModel : IRecommenderModel
{
    public const string MethodName = "rp3beta";

    public string Name => MethodName;

    public double Alpha { get; init; } = 0.75;

    public double Beta { get; init; } = 0.3;

    public int Neighbours { get; init; } = 200;

    public bool UseWeights { get; init; }

    public int ExplainItems { get; init; } = 3;

    public ITrainedModel Fit(ModelInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var slice = input.Matrix.Slice(input.Kind);
        var users = slice.UserOffsets.Length - 1;
        var items = slice.ItemIds.Length;
        var parallel = Parallelism.Options(cancellationToken);

        // Each row's steps are its own (disjoint ranges, the same values whatever the threads).
        var userRatings = UseWeights ? slice.Weights : null;
        var holderRatings = UseWeights ? slice.HolderWeights : null;
        var userStep = new double[slice.Items.Length];
        Parallelism.ForRanges(users, parallel, (first, end) =>
        {
            for (var u = first; u < end; u++)
            {
                Steps(slice.UserOffsets[u], slice.UserOffsets[u + 1], userRatings, Alpha, userStep);
            }
        });

        var itemStep = new double[slice.Holders.Length];
        var degreeScale = new double[items];
        Parallelism.ForRanges(items, parallel, (first, end) =>
        {
            for (var i = first; i < end; i++)
            {
                var (start, stop) = (slice.ItemOffsets[i], slice.ItemOffsets[i + 1]);
                Steps(start, stop, holderRatings, Alpha, itemStep);
                degreeScale[i] = stop > start ? 1.0 / Math.Pow(stop - start, Beta) : 0;
            }
        });

        var graph = ItemGraph.Build(slice, itemStep, userStep, new DegreeScaled(degreeScale), Neighbours, cancellationToken);
        return new ItemGraphModel(Name, input, graph, UseWeights, ExplainItems);
    }

    /// <summary>
    /// One row's transition probabilities raised to α, <c>(r_e / Σ r)^α</c> for the entries [start, end); r is 1 for every
    /// entry when <paramref name="ratings"/> is null, and then one power serves the whole row.
    /// </summary>
    private static void Steps(int start, int end, double[]? ratings, double alpha, double[] into)
    {
        if (ratings is null)
        {
            var count = end - start;
            into.AsSpan(start, count).Fill(count > 0 ? Math.Pow(1.0 / count, alpha) : 0);
            return;
        }

        var sum = 0.0;
        for (var e = start; e < end; e++)
        {
            sum += ratings[e];
        }

        for (var e = start; e < end; e++)
        {
            into[e] = sum > 0 ? Math.Pow(ratings[e] / sum, alpha) : 0;
        }
    }

    /// <summary>The walk's probability divided by the target's popularity: <c>walk / deg(j)^β</c>.</summary>
    private readonly struct DegreeScaled(double[] degreeScale) : ItemGraph.IEdgeFinish
    {
        public double Weight(int item, int neighbour, double sum) => sum * degreeScale[neighbour];
    }
}
