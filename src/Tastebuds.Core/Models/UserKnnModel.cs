using Tastebuds.Core.Recommendations;
using Tastebuds.Core.Similarity;

namespace Tastebuds.Core.Models;

/// <summary>
/// Today's user-kNN (<see cref="Recommender"/>) behind the model interface, with the same score:
/// <c>s(u,t) = Σ_{v∈N(u)} sim(u,v)^p·w(v,t) / Σ_{v∈N(u)} sim(u,v)^p + PopularityWeight·pop(t)</c> for items some
/// neighbour holds, 0 for the rest. Neighbours come from <see cref="NeighbourFinder"/> over all kinds of the matrix.
/// </summary>
public sealed record UserKnnModel(SimilarityMetric Metric, SimilarityOptions Similarity, RecommendationOptions Scoring) : IRecommenderModel
{
    /// <summary>The metric's name (cosine, jaccard, pearson), as today's rows in the <c>metric</c> column.</summary>
    public string Name => Metric.ToString().ToLowerInvariant();

    public ITrainedModel Fit(ModelInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new Trained(this, input, NeighbourFinder.Compute(input.Matrix, Similarity, cancellationToken));
    }

    private sealed class Trained(UserKnnModel model, ModelInput input, NeighbourSet neighbours) : ITrainedModel
    {
        private readonly KindSlice _slice = input.Matrix.Slice(input.Kind);
        private readonly double _popularityScale = Math.Log(1.0 + input.UserCount);

        public string Name => model.Name;

        public ModelInput Input => input;

        public void Score(int user, Span<double> scores)
        {
            var list = neighbours.Of(user, model.Metric);
            var similaritySum = 0.0;
            foreach (var n in list)
            {
                similaritySum += Strength(n);
            }

            if (similaritySum <= 0)
            {
                return;
            }

            foreach (var n in list)
            {
                var strength = Strength(n) * Scale(n.User);
                for (var e = _slice.UserOffsets[n.User]; e < _slice.UserOffsets[n.User + 1]; e++)
                {
                    if (_slice.PlayCounts[e] > 0 || _slice.Loved[e])
                    {
                        scores[_slice.Items[e]] += strength * _slice.Weights[e];
                    }
                }
            }

            for (var i = 0; i < scores.Length; i++)
            {
                if (scores[i] > 0)
                {
                    var holders = _slice.ItemOffsets[i + 1] - _slice.ItemOffsets[i];
                    var popularity = _popularityScale > 0 ? Math.Log(1.0 + holders) / _popularityScale : 0.0;
                    scores[i] = (scores[i] / similaritySum) + (model.Scoring.PopularityWeight * popularity);
                }
            }
        }

        public ModelExplanation Explain(int user, int item)
        {
            var list = neighbours.Of(user, model.Metric);
            var similaritySum = list.Sum(Strength);
            var evidence = new List<Evidence>();
            foreach (var n in list)
            {
                var e = _slice.Find(n.User, item);
                if (e >= 0 && (_slice.PlayCounts[e] > 0 || _slice.Loved[e]))
                {
                    evidence.Add(new Evidence(EvidenceKind.Neighbour, n.User, n.Score,
                        Strength(n) * Scale(n.User) * _slice.Weights[e] / similaritySum));
                }
            }

            return new ModelExplanation(Name, [.. evidence.OrderByDescending(x => x.Contribution).ThenBy(x => x.Id)
                .Take(model.Scoring.MaxExplanationNeighbours)]);
        }

        private double Strength(Neighbour n) =>
            n.Score <= 0 ? 0.0 : model.Scoring.SimilarityExponent == 1.0 ? n.Score : Math.Pow(n.Score, model.Scoring.SimilarityExponent);

        private double Scale(int v) =>
            model.Scoring.NormaliseNeighbourWeights && _slice.Norms[v] > 0 ? 1.0 / _slice.Norms[v] : 1.0;
    }
}
