namespace Tastebuds.Core.Models;

/// <summary>
/// The social graph as a scorer: <c>s(u,i) = Σ_{f∈F(u)} w(f,i) / ‖w(f)‖</c>, each friend's listening as a unit
/// vector, so a heavy listener among the friends does not drown the others.
/// </summary>
public sealed record FriendModel : IRecommenderModel
{
    public const string MethodName = "friends";

    public string Name => MethodName;

    public int ExplainFriends { get; init; } = 3;

    public ITrainedModel Fit(ModelInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new Trained(this, input);
    }

    private sealed class Trained(FriendModel model, ModelInput input) : ITrainedModel, ISparseScorer
    {
        private readonly KindSlice _slice = input.Matrix.Slice(input.Kind);

        public string Name => MethodName;

        public ModelInput Input => input;

        public void Score(int user, Span<double> scores)
        {
            foreach (var f in input.Side.FriendsOf(user))
            {
                var norm = _slice.Norms[f];
                for (var e = _slice.UserOffsets[f]; e < _slice.UserOffsets[f + 1] && norm > 0; e++)
                {
                    scores[_slice.Items[e]] += _slice.Weights[e] / norm;
                }
            }
        }

        public void ScoreSparse(int user, SparseScores scores)
        {
            foreach (var f in input.Side.FriendsOf(user))
            {
                var norm = _slice.Norms[f];
                for (var e = _slice.UserOffsets[f]; e < _slice.UserOffsets[f + 1] && norm > 0; e++)
                {
                    scores.Add(_slice.Items[e], _slice.Weights[e] / norm);
                }
            }
        }

        public ModelExplanation Explain(int user, int item)
        {
            var evidence = new List<Evidence>();
            foreach (var f in input.Side.FriendsOf(user))
            {
                var e = _slice.Find(f, item);
                if (e >= 0 && _slice.Norms[f] > 0)
                {
                    var share = _slice.Weights[e] / _slice.Norms[f];
                    evidence.Add(new Evidence(EvidenceKind.Friend, f, share, share));
                }
            }

            return new ModelExplanation(Name, [.. evidence.OrderByDescending(x => x.Contribution).ThenBy(x => x.Id).Take(model.ExplainFriends)]);
        }
    }
}
