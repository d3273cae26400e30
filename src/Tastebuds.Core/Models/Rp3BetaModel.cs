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
        var userRating = UseWeights ? slice.Weights : Enumerable.Repeat(1.0, slice.Items.Length).ToArray();
        var holderRating = UseWeights ? slice.HolderWeights : Enumerable.Repeat(1.0, slice.Holders.Length).ToArray();

        var userStep = new double[slice.Items.Length];
        for (var u = 0; u < users; u++)
        {
            var sum = 0.0;
            for (var e = slice.UserOffsets[u]; e < slice.UserOffsets[u + 1]; e++)
            {
                sum += userRating[e];
            }

            for (var e = slice.UserOffsets[u]; e < slice.UserOffsets[u + 1]; e++)
            {
                userStep[e] = sum > 0 ? Math.Pow(userRating[e] / sum, Alpha) : 0;
            }
        }

        var itemStep = new double[slice.Holders.Length];
        var degreeScale = new double[slice.ItemIds.Length];
        for (var i = 0; i < degreeScale.Length; i++)
        {
            var sum = 0.0;
            for (var h = slice.ItemOffsets[i]; h < slice.ItemOffsets[i + 1]; h++)
            {
                sum += holderRating[h];
            }

            for (var h = slice.ItemOffsets[i]; h < slice.ItemOffsets[i + 1]; h++)
            {
                itemStep[h] = sum > 0 ? Math.Pow(holderRating[h] / sum, Alpha) : 0;
            }

            var degree = slice.ItemOffsets[i + 1] - slice.ItemOffsets[i];
            degreeScale[i] = degree > 0 ? 1.0 / Math.Pow(degree, Beta) : 0;
        }

        var graph = ItemGraph.Build(slice, itemStep, userStep, new DegreeScaled(degreeScale), Neighbours, cancellationToken);
        return new ItemGraphModel(Name, input, graph, UseWeights, ExplainItems);
    }

    /// <summary>The walk's probability divided by the target's popularity: <c>walk / deg(j)^β</c>.</summary>
    private readonly struct DegreeScaled(double[] degreeScale) : ItemGraph.IEdgeFinish
    {
        public double Weight(int item, int neighbour, double sum) => sum * degreeScale[neighbour];
    }
}
