namespace Tastebuds.Core.Models;

/// <summary>
/// Item-based kNN with cosine similarity on the matrix weights w(u,i):
/// <c>W(i,j) = Σ_u w(u,i)·w(u,j) / (‖w(·,i)‖·‖w(·,j)‖ + Shrink)</c>, top <see cref="Neighbours"/> per item;
/// <c>s(u,j) = Σ_{i∈I(u)} w(u,i)·W(i,j)</c>.
/// </summary>
public sealed record ItemKnnModel : IRecommenderModel
{
    public const string MethodName = "item-knn";

    public string Name => MethodName;

    /// <summary>Neighbours kept per item (the sparse graph's K).</summary>
    public int Neighbours { get; init; } = 200;

    /// <summary>Added to the denominator: pairs seen by few users count less (100 won on HetRec validation).</summary>
    public double Shrink { get; init; } = 100;

    public int ExplainItems { get; init; } = 3;

    public ITrainedModel Fit(ModelInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var slice = input.Matrix.Slice(input.Kind);
        var norms = new double[slice.ItemIds.Length];
        for (var i = 0; i < norms.Length; i++)
        {
            var sum = 0.0;
            for (var h = slice.ItemOffsets[i]; h < slice.ItemOffsets[i + 1]; h++)
            {
                sum += slice.HolderWeights[h] * slice.HolderWeights[h];
            }

            norms[i] = Math.Sqrt(sum);
        }

        var shrink = Shrink;
        var graph = ItemGraph.Build(slice, slice.HolderWeights, slice.Weights,
            new ShrunkCosine(norms, shrink), Neighbours, cancellationToken);
        return new ItemGraphModel(Name, input, graph, weighted: true, ExplainItems);
    }

    /// <summary><c>dot / (‖i‖·‖j‖ + shrink)</c>.</summary>
    private readonly struct ShrunkCosine(double[] norms, double shrink) : ItemGraph.IEdgeFinish
    {
        public double Weight(int item, int neighbour, double sum) => sum / ((norms[item] * norms[neighbour]) + shrink);
    }
}
