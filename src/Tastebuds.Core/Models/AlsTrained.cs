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
    private readonly Lazy<float[]> _gramFloat;

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
        _gramFloat = new Lazy<float[]>(GramFloat);
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
        Parallel.For(0, changedUsers.Count, Parallelism.Options(cancellationToken),
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

        if (items.Count == 0)
        {
            return [];
        }

        // A_u = YᵀY + λI (computed once per model) + Σ_{j∈I(u)} (c(u,j) − 1)·y_j y_jᵀ, built in single precision (the
        // factors' own) in a thread's buffers, each row's prefix updated in whole vectors (the part beyond the diagonal is
        // never read); then factored in double, A_u = L·Lᵀ. Nothing is allocated per user but the result.
        var s = t_scratch is { } reused && reused.Factors == k && reused.Top.Capacity == _settings.ExplainItems
            ? reused
            : t_scratch = new ExplainScratch(k, _settings.ExplainItems);
        var start = Input.Matrix.Slice(Input.Kind).UserOffsets[user];
        var h = history.Length;
        var lanes = Vector<float>.Count;
        var width = s.Width;
        var a = s.AFloat;
        _gramFloat.Value.CopyTo(a, 0);
        for (var e = 0; e < h; e++)
        {
            var w = _userConfidence[start + e] - 1f;
            ItemVector(history[e]).CopyTo(s.Padded);
            var v = MemoryMarshal.Cast<float, Vector<float>>(s.Padded.AsSpan());
            for (var r = 0; r < k; r++)
            {
                var coefficient = new Vector<float>(w * s.Padded[r]);
                var row = MemoryMarshal.Cast<float, Vector<float>>(a.AsSpan(r * width, width));
                for (var n = 0; n <= r / lanes; n++)
                {
                    row[n] += coefficient * v[n];
                }
            }
        }

        for (var r = 0; r < k; r++)
        {
            for (var c = 0; c <= r; c++)
            {
                s.A[(r * k) + c] = a[(r * width) + c];
            }
        }

        Cholesky.FactorInPlace(s.A, s.Transposed, k);

        // Contribution of history item j to y_i·x_u: c(u,j)·(A_u⁻¹y_i)·y_j. All the listed items are solved at once:
        // X = A_u⁻¹·[y_i …] (k rows of one lane per listed item, a forward and a back substitution by whole-row axpys),
        // then every history item's dot with every solution in one pass, D = Y_hist·X. Each listed item's column sees the
        // same arithmetic whatever else is listed (no sum across lanes), so its explanation does not depend on the batch.
        // Only the best few reasons per item are kept (TopEvidence), never a list of every reason.
        var count = items.Count;
        var stride = (count + lanes - 1) / lanes * lanes;
        var x = s.Solutions(k * stride);
        Array.Clear(x, 0, k * stride);
        for (var n = 0; n < count; n++)
        {
            var target = ItemVector(items[n]);
            for (var d = 0; d < k; d++)
            {
                x[(d * stride) + n] = target[d];
            }
        }

        for (var d = 0; d < k; d++)
        {
            var row = x.AsSpan(d * stride, stride);
            for (var c = 0; c < d; c++)
            {
                Subtract((float)s.A[(d * k) + c], x.AsSpan(c * stride, stride), row);
            }

            Scale(1f / (float)s.A[(d * k) + d], row);
        }

        for (var d = k - 1; d >= 0; d--)
        {
            var row = x.AsSpan(d * stride, stride);
            for (var c = d + 1; c < k; c++)
            {
                Subtract((float)s.A[(c * k) + d], x.AsSpan(c * stride, stride), row);
            }

            Scale(1f / (float)s.A[(d * k) + d], row);
        }

        var dots = s.Dots(h * stride);
        for (var e = 0; e < h; e++)
        {
            var row = dots.AsSpan(e * stride, stride);
            row.Clear();
            var yj = ItemVector(history[e]);
            for (var d = 0; d < k; d++)
            {
                VectorMath.Axpy(yj[d], x.AsSpan(d * stride, stride), row);
            }
        }

        var result = new ModelExplanation[count];
        for (var n = 0; n < count; n++)
        {
            s.Top.Clear();
            for (var e = 0; e < h; e++)
            {
                double dot = dots[(e * stride) + n];
                s.Top.Offer(new Evidence(EvidenceKind.Item, history[e], dot, _userConfidence[start + e] * dot));
            }

            result[n] = new ModelExplanation(Name, s.Top.ToArray());
        }

        return result;
    }

    /// <summary>y −= a·x over whole vectors (the spans are multiples of the vector width).</summary>
    private static void Subtract(float a, ReadOnlySpan<float> x, Span<float> y)
    {
        var va = new Vector<float>(a);
        var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
        var vy = MemoryMarshal.Cast<float, Vector<float>>(y);
        for (var n = 0; n < vy.Length; n++)
        {
            vy[n] -= va * vx[n];
        }
    }

    private static void Scale(float a, Span<float> y)
    {
        var va = new Vector<float>(a);
        var vy = MemoryMarshal.Cast<float, Vector<float>>(y);
        for (var n = 0; n < vy.Length; n++)
        {
            vy[n] *= va;
        }
    }

    [ThreadStatic]
    private static ExplainScratch? t_scratch;

    /// <summary>One thread's buffers for <see cref="ExplainAll"/>, reused from user to user.</summary>
    private sealed class ExplainScratch(int factors, int explainItems)
    {
        private float[] _solutions = new float[factors * 64];
        private float[] _dots = new float[100 * 64];

        public int Factors => factors;

        /// <summary>Row stride of <see cref="AFloat"/>: k rounded up to whole vectors.</summary>
        public int Width { get; } = PaddedWidth(factors);

        public float[] AFloat { get; } = new float[factors * PaddedWidth(factors)];

        public float[] Padded { get; } = new float[PaddedWidth(factors)];

        public double[] A { get; } = new double[factors * factors];

        public double[] Transposed { get; } = new double[factors * factors];

        public TopEvidence Top { get; } = new(explainItems);

        public float[] Solutions(int length) => _solutions.Length >= length ? _solutions : _solutions = new float[length];

        public float[] Dots(int length) => _dots.Length >= length ? _dots : _dots = new float[length];
    }

    private static int PaddedWidth(int factors) => (factors + Vector<float>.Count - 1) / Vector<float>.Count * Vector<float>.Count;

    /// <summary>YᵀY + λI in single precision, rows of <see cref="PaddedWidth"/> (the explanation's start).</summary>
    private float[] GramFloat()
    {
        var k = Factors;
        var width = PaddedWidth(k);
        var gram = _gram.Value;
        var a = new float[k * width];
        for (var r = 0; r < k; r++)
        {
            for (var c = 0; c < k; c++)
            {
                a[(r * width) + c] = (float)gram[(r * k) + c];
            }
        }

        return a;
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

    /// <summary>
    /// YᵀY + λI in double: the lower triangle summed over blocks of items in parallel, one SIMD row update per item
    /// (<see cref="AddOuterLower"/>), the blocks' sums added in block order (the same matrix whatever the threads), then
    /// mirrored. Single-threaded and scalar it held one core alone for 1–2 s of the hybrid's fit at 200,000 items
    /// (docs/benchmarks.md "The hybrid's serial stretches in parallel").
    /// </summary>
    private double[] Gram()
    {
        const int ItemsPerBlock = 4096;
        var k = Factors;
        var items = Input.ItemCount;
        var blocks = new double[(items + ItemsPerBlock - 1) / ItemsPerBlock][];
        Parallel.For(0, blocks.Length, Parallelism.Options(_settings.MaxDegreeOfParallelism, CancellationToken.None), b =>
        {
            var local = new double[k * k];
            var v = new double[k];
            for (var i = b * ItemsPerBlock; i < Math.Min(items, (b + 1) * ItemsPerBlock); i++)
            {
                var yi = ItemVector(i);
                for (var d = 0; d < k; d++)
                {
                    v[d] = yi[d];
                }

                AddOuterLower(local, v, 1.0);
            }

            blocks[b] = local;
        });

        var a = new double[k * k];
        foreach (var local in blocks)
        {
            for (var n = 0; n < a.Length; n++)
            {
                a[n] += local[n];
            }
        }

        for (var r = 0; r < k; r++)
        {
            a[(r * k) + r] += _settings.Regularization;
            for (var c = 0; c < r; c++)
            {
                a[(c * k) + r] = a[(r * k) + c];
            }
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
}
