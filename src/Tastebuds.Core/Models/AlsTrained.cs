using System.Numerics;
using System.Runtime.InteropServices;

namespace Tastebuds.Core.Models;

/// <summary>
/// Fitted iALS factors. <see cref="Explain"/> follows <c>implicit</c>'s explain: with
/// <c>A_u = YᵀC_uY + λI</c> (Cholesky-factored), the score splits exactly into one part per history item j,
/// <c>c(u,j)·(A_u⁻¹ y_i)·y_j</c>, when x_u is A_u's solution (after CG it is close to it): one Cholesky factorisation
/// per user, one solve per explained item.
/// </summary>
public sealed class AlsTrained : ITrainedModel, IBatchScorer, ICandidateScorer, IServableOnWhole
{
    private readonly AlsModel _settings;
    private readonly float[] _userConfidence;
    private readonly Lazy<double[]> _gram;
    private readonly Lazy<float[]> _itemBlocks;

    internal AlsTrained(AlsModel settings, ModelInput input, float[] userFactors, float[] itemFactors, float[] userConfidence, TimeSpan elapsed)
    {
        _settings = settings;
        Input = input;
        UserFactors = userFactors;
        ItemFactors = itemFactors;
        _userConfidence = userConfidence;
        TrainingElapsed = elapsed;
        _gram = new Lazy<double[]>(Gram);
        _itemBlocks = new Lazy<float[]>(ItemBlocks);
    }

    public string Name => AlsModel.MethodName;

    public ModelInput Input { get; }

    public int Factors => _settings.Factors;

    public TimeSpan TrainingElapsed { get; }

    internal float[] UserFactors { get; }

    internal float[] ItemFactors { get; }

    public ReadOnlySpan<float> UserVector(int user) => UserFactors.AsSpan(user * Factors, Factors);

    public ReadOnlySpan<float> ItemVector(int item) => ItemFactors.AsSpan(item * Factors, Factors);

    public double Predict(int user, int item) => VectorMath.Dot(UserVector(user), ItemVector(item));

    /// <summary>
    /// y_i·x_u for every item, eight items at a time from a factor-major copy of the item factors (one SIMD
    /// multiply-add per factor and block, no horizontal sums): the full pass is the cost of iALS at 200,000 items.
    /// </summary>
    public void Score(int user, Span<double> scores)
    {
        var buffer = new double[scores.Length];
        ScoreBatch([user], [buffer]);
        buffer.CopyTo(scores);
    }

    public void ScoreItems(int user, ReadOnlySpan<int> items, Span<double> scores)
    {
        var xu = UserVector(user);
        for (var n = 0; n < items.Length; n++)
        {
            scores[n] = VectorMath.Dot(xu, ItemVector(items[n]));
        }
    }

    public void ScoreBatch(ReadOnlySpan<int> users, double[][] scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var k = Factors;
        var lanes = Vector<float>.Count;
        var broadcast = new Vector<float>[users.Length * k];
        for (var n = 0; n < users.Length; n++)
        {
            var xu = UserVector(users[n]);
            for (var d = 0; d < k; d++)
            {
                broadcast[(n * k) + d] = new Vector<float>(xu[d]);
            }
        }

        var blocks = MemoryMarshal.Cast<float, Vector<float>>(_itemBlocks.Value.AsSpan());
        var items = Input.ItemCount;
        Span<float> result = stackalloc float[lanes];
        for (int b = 0, first = 0; first < items; b++, first += lanes)
        {
            // One block of item factors (k vectors) stays in L1 while every user of the batch is scored against it.
            var block = blocks.Slice(b * k, k);
            for (var n = 0; n < users.Length; n++)
            {
                var x = broadcast.AsSpan(n * k, k);
                var acc = Vector<float>.Zero;
                for (var d = 0; d < k; d++)
                {
                    acc += x[d] * block[d];
                }

                var target = scores[n];
                acc.CopyTo(result);
                for (var l = 0; l < lanes && first + l < items; l++)
                {
                    target[first + l] = result[l];
                }
            }
        }
    }

    /// <summary>
    /// The same item factors serving the whole input: each changed user's x_u solved exactly from their whole row with Y
    /// fixed, <c>(YᵀY + λI + Σ_{j∈I(u)} (c(u,j) − 1)·y_j y_jᵀ) x_u = Σ_{j∈I(u)} c(u,j)·y_j</c> (Cholesky, in double),
    /// one user half-step for those users only; every other user's factors are kept as fitted (their rows are the same).
    /// </summary>
    public ITrainedModel ServeOn(ModelInput whole, IReadOnlyList<int> changedUsers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(whole);
        ArgumentNullException.ThrowIfNull(changedUsers);
        if (whole.UserCount != Input.UserCount || whole.ItemCount != Input.ItemCount)
        {
            throw new ArgumentException("The whole input must have the fitted input's users and items.", nameof(whole));
        }

        var k = Factors;
        var slice = whole.Matrix.Slice(whole.Kind);
        var confidence = _settings.Confidence(slice.Weights);
        var x = (float[])UserFactors.Clone();
        var gram = _gram.Value;
        Parallel.For(0, changedUsers.Count, new ParallelOptions { CancellationToken = cancellationToken },
            () => new SolveScratch(k),
            (n, _, s) =>
            {
                var u = changedUsers[n];
                var xu = x.AsSpan(u * k, k);
                var (start, end) = (slice.UserOffsets[u], slice.UserOffsets[u + 1]);
                if (start == end)
                {
                    xu.Clear();
                    return s;
                }

                gram.CopyTo(s.A, 0);
                Array.Clear(s.B);
                for (var e = start; e < end; e++)
                {
                    var yj = ItemVector(slice.Items[e]);
                    for (var d = 0; d < k; d++)
                    {
                        s.Y[d] = yj[d];
                        s.B[d] += confidence[e] * s.Y[d];
                    }

                    AddOuterLower(s.A, s.Y, confidence[e] - 1.0);
                }

                Cholesky.FactorInPlace(s.A, s.Transposed, k);
                Cholesky.Solve(s.A, s.Transposed, k, s.B, s.Scratch, s.Solved);
                for (var d = 0; d < k; d++)
                {
                    xu[d] = (float)s.Solved[d];
                }

                return s;
            },
            _ => { });

        return new AlsTrained(_settings, whole, x, ItemFactors, confidence, TrainingElapsed);
    }

    /// <summary>One thread's buffers for <see cref="ServeOn"/>.</summary>
    private sealed class SolveScratch(int factors)
    {
        public double[] A { get; } = new double[factors * factors];

        public double[] Transposed { get; } = new double[factors * factors];

        public double[] Y { get; } = new double[factors];

        public double[] B { get; } = new double[factors];

        public double[] Scratch { get; } = new double[factors];

        public double[] Solved { get; } = new double[factors];
    }

    public ModelExplanation Explain(int user, int item) => ExplainAll(user, [item])[0];

    public IReadOnlyList<ModelExplanation> ExplainAll(int user, IReadOnlyList<int> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var k = Factors;
        var history = Input.ItemsOf(user);
        if (history.IsEmpty)
        {
            return [.. items.Select(_ => ModelExplanation.Empty(Name))];
        }

        // YᵀY + λI (computed once per model) plus (c − 1)·y_j y_jᵀ over the history: A_u = YᵀC_uY + λI = L·Lᵀ, in a
        // thread's own buffers (no allocation per user but the result).
        var s = t_scratch is { } reused && reused.Factors == k && reused.Top.Capacity == _settings.ExplainItems
            ? reused
            : t_scratch = new ExplainScratch(k, _settings.ExplainItems);
        var start = Input.Matrix.Slice(Input.Kind).UserOffsets[user];
        var h = history.Length;
        var factors = s.History(h);
        for (var e = 0; e < h; e++)
        {
            var yj = ItemVector(history[e]);
            for (var d = 0; d < k; d++)
            {
                factors[(e * k) + d] = yj[d];
            }
        }

        _gram.Value.CopyTo(s.A);
        for (var e = 0; e < h; e++)
        {
            AddOuterLower(s.A, factors.AsSpan(e * k, k), _userConfidence[start + e] - 1.0);
        }

        Cholesky.FactorInPlace(s.A, s.Transposed, k);

        // Contribution of history item j to y_i·x_u: c(u,j)·(A_u⁻¹y_i)·y_j. One solve per listed item, then one dot
        // per history item; only the best few are kept (TopEvidence), never a list of every reason.
        var result = new ModelExplanation[items.Count];
        for (var n = 0; n < items.Count; n++)
        {
            var target = ItemVector(items[n]);
            for (var d = 0; d < k; d++)
            {
                s.Target[d] = target[d];
            }

            Cholesky.Solve(s.A, s.Transposed, k, s.Target, s.Scratch, s.Solved);
            s.Top.Clear();
            for (var e = 0; e < h; e++)
            {
                var dot = Cholesky.Dot(s.Solved, factors.AsSpan(e * k, k));
                s.Top.Offer(new Evidence(EvidenceKind.Item, history[e], dot, _userConfidence[start + e] * dot));
            }

            result[n] = new ModelExplanation(Name, s.Top.ToArray());
        }

        return result;
    }

    [ThreadStatic]
    private static ExplainScratch? t_scratch;

    /// <summary>One thread's buffers for <see cref="ExplainAll"/>, reused from user to user.</summary>
    private sealed class ExplainScratch(int factors, int explainItems)
    {
        private double[] _history = new double[100 * factors];

        public int Factors => factors;

        public double[] A { get; } = new double[factors * factors];

        public double[] Transposed { get; } = new double[factors * factors];

        public double[] Target { get; } = new double[factors];

        public double[] Scratch { get; } = new double[factors];

        public double[] Solved { get; } = new double[factors];

        public TopEvidence Top { get; } = new(explainItems);

        public double[] History(int count) => _history.Length >= count * factors ? _history : _history = new double[count * factors];
    }

    /// <summary>Item factors as [block of Vector&lt;float&gt;.Count items][factor][lane], the last block zero-padded.</summary>
    private float[] ItemBlocks()
    {
        var k = Factors;
        var lanes = Vector<float>.Count;
        var blockCount = (Input.ItemCount + lanes - 1) / lanes;
        var blocks = new float[blockCount * k * lanes];
        for (var i = 0; i < Input.ItemCount; i++)
        {
            var (b, l) = (i / lanes, i % lanes);
            var yi = ItemVector(i);
            for (var d = 0; d < k; d++)
            {
                blocks[(((b * k) + d) * lanes) + l] = yi[d];
            }
        }

        return blocks;
    }

    private double[] Gram()
    {
        var k = Factors;
        var a = new double[k * k];
        for (var d = 0; d < k; d++)
        {
            a[(d * k) + d] = _settings.Regularization;
        }

        for (var i = 0; i < Input.ItemCount; i++)
        {
            AddOuter(a, ItemVector(i), 1.0);
        }

        return a;
    }

    /// <summary>The lower triangle (diagonal included) of a += scale·v·vᵀ, one SIMD axpy per row prefix.</summary>
    private static void AddOuterLower(double[] a, ReadOnlySpan<double> v, double scale)
    {
        var k = v.Length;
        var lanes = Vector<double>.Count;
        for (var r = 0; r < k; r++)
        {
            var length = r + 1;
            var vr = scale * v[r];
            var row = a.AsSpan(r * k, length);
            var vv = System.Runtime.InteropServices.MemoryMarshal.Cast<double, Vector<double>>(v[..length]);
            var rows = System.Runtime.InteropServices.MemoryMarshal.Cast<double, Vector<double>>(row);
            var broadcast = new Vector<double>(vr);
            for (var n = 0; n < vv.Length; n++)
            {
                rows[n] += broadcast * vv[n];
            }

            for (var c = vv.Length * lanes; c < length; c++)
            {
                row[c] += vr * v[c];
            }
        }
    }

    private static void AddOuter(double[] a, ReadOnlySpan<float> v, double scale)
    {
        var k = v.Length;
        for (var r = 0; r < k; r++)
        {
            var vr = scale * v[r];
            for (var c = 0; c < k; c++)
            {
                a[(r * k) + c] += vr * v[c];
            }
        }
    }
}
