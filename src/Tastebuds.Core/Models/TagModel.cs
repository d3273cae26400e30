namespace Tastebuds.Core.Models;

/// <summary>
/// Content-based scoring on personal tags. Item profile: <c>T(i,t) = ln(1 + n(i,t))·ln(M / df(t))</c>, L2-normalised,
/// where n(i,t) counts the users who put tag t on item i, M the items with any tag and df(t) the items with t. User
/// profile: <c>q(u) = norm(Σ_{j∈I(u)} w(u,j)·T(j)) + OwnTags·norm(ln(1 + n(u,t))·ln(M / df(t)))</c> (n(u,t): items u
/// tagged t), cut to its <see cref="ProfileTags"/> largest entries. <c>s(u,i) = q(u)·T(i)</c>.
/// </summary>
public sealed record TagModel : IRecommenderModel
{
    public const string MethodName = "tags";

    public string Name => Label ?? MethodName;

    /// <summary>A name other than "tags", to tell two settings apart (the hybrid's own tag scorer).</summary>
    public string? Label { get; init; }

    public double OwnTags { get; init; } = 0.2;

    public int ProfileTags { get; init; } = 300;

    public int ExplainTags { get; init; } = 3;

    /// <summary>
    /// e in <c>T(i) = raw(i) / ‖raw(i)‖^e</c>: 1 is the cosine; below 1 an item with more tagging evidence counts more.
    /// </summary>
    public double ItemNormExponent { get; init; } = 0.5;

    public ITrainedModel Fit(ModelInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new TagProfiles(this, input);
    }

    private sealed class TagProfiles : ITrainedModel, ISparseScorer
    {
        private readonly TagModel _model;
        private readonly Dictionary<int, double>[] _itemProfiles;
        private readonly Dictionary<int, double>[] _ownProfiles;
        private readonly (int Item, double Value)[][] _postings;
        private readonly KeyValuePair<int, double>[][] _userProfiles;

        public TagProfiles(TagModel model, ModelInput input)
        {
            _model = model;
            Input = input;
            var tags = input.Side.Tags;
            var itemCounts = new Dictionary<int, int>?[input.ItemCount];
            var ownCounts = new Dictionary<int, int>?[input.UserCount];
            foreach (var a in tags)
            {
                var item = itemCounts[a.Item] ??= [];
                item[a.Tag] = item.GetValueOrDefault(a.Tag) + 1;
                var own = ownCounts[a.User] ??= [];
                own[a.Tag] = own.GetValueOrDefault(a.Tag) + 1;
            }

            var tagged = itemCounts.Count(c => c is not null);
            var df = new int[input.Side.TagCount];
            foreach (var c in itemCounts.Where(c => c is not null))
            {
                foreach (var t in c!.Keys)
                {
                    df[t]++;
                }
            }

            double Idf(int t) => Math.Log((double)tagged / df[t]);
            _itemProfiles = itemCounts.Select(c => Normalised(c, Idf, model.ItemNormExponent)).ToArray();
            _ownProfiles = ownCounts.Select(c => Normalised(c, t => df[t] > 0 ? Idf(t) : 0, 1)).ToArray();
            var lists = Enumerable.Range(0, input.Side.TagCount).Select(_ => new List<(int, double)>()).ToArray();
            for (var i = 0; i < _itemProfiles.Length; i++)
            {
                foreach (var (t, v) in _itemProfiles[i])
                {
                    lists[t].Add((i, v));
                }
            }

            _postings = lists.Select(l => l.ToArray()).ToArray();
            _userProfiles = new KeyValuePair<int, double>[input.UserCount][];
            Parallel.For(0, input.UserCount, Parallelism.Options(CancellationToken.None), u => _userProfiles[u] = BuildProfile(u));
        }

        public string Name => _model.Name;

        public ModelInput Input { get; }

        public void Score(int user, Span<double> scores)
        {
            foreach (var (t, q) in _userProfiles[user])
            {
                foreach (var (item, value) in _postings[t])
                {
                    scores[item] += q * value;
                }
            }
        }

        public void ScoreSparse(int user, SparseScores scores)
        {
            foreach (var (t, q) in _userProfiles[user])
            {
                foreach (var (item, value) in _postings[t])
                {
                    scores.Add(item, q * value);
                }
            }
        }

        public ModelExplanation Explain(int user, int item)
        {
            var profile = _itemProfiles[item];
            var evidence = _userProfiles[user]
                .Where(p => profile.ContainsKey(p.Key))
                .Select(p => new Evidence(EvidenceKind.Tag, p.Key, p.Value, p.Value * profile[p.Key]))
                .OrderByDescending(e => e.Contribution).ThenBy(e => e.Id)
                .Take(_model.ExplainTags);
            return new ModelExplanation(Name, [.. evidence]);
        }

        private KeyValuePair<int, double>[] BuildProfile(int user)
        {
            var sum = new Dictionary<int, double>();
            var items = Input.ItemsOf(user);
            var weights = Input.WeightsOf(user);
            for (var e = 0; e < items.Length; e++)
            {
                foreach (var (t, v) in _itemProfiles[items[e]])
                {
                    sum[t] = sum.GetValueOrDefault(t) + (weights[e] * v);
                }
            }

            var norm = Math.Sqrt(sum.Values.Sum(v => v * v));
            var profile = new Dictionary<int, double>();
            foreach (var (t, v) in sum)
            {
                profile[t] = norm > 0 ? v / norm : 0;
            }

            foreach (var (t, v) in _ownProfiles[user])
            {
                profile[t] = profile.GetValueOrDefault(t) + (_model.OwnTags * v);
            }

            return [.. profile.OrderByDescending(p => p.Value).ThenBy(p => p.Key).Take(_model.ProfileTags)];
        }

        private static Dictionary<int, double> Normalised(Dictionary<int, int>? counts, Func<int, double> idf, double exponent)
        {
            if (counts is null)
            {
                return [];
            }

            var values = counts.ToDictionary(c => c.Key, c => Math.Log(1 + c.Value) * idf(c.Key));
            var norm = Math.Sqrt(values.Values.Sum(v => v * v));
            var scale = exponent == 1 ? norm : Math.Pow(norm, exponent);
            return norm > 0 ? values.ToDictionary(v => v.Key, v => v.Value / scale) : [];
        }
    }
}
