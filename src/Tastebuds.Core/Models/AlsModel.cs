using System.Diagnostics;

namespace Tastebuds.Core.Models;

/// <summary>
/// Implicit-feedback matrix factorisation (Hu, Koren, Volinsky 2008) solved by alternating least squares with a
/// few conjugate-gradient steps per row (Takács et al. 2011; the solver of the <c>implicit</c> library).
/// Preference p(u,i) = 1 for every interaction, confidence <c>c(u,i) = 1 + Alpha·w(u,i)</c> (w = ln(1 + plays) with
/// the default weighting), minimising <c>Σ_{u,i} c(u,i)(p(u,i) − x_u·y_i)² + Regularization(Σ‖x_u‖² + Σ‖y_i‖²)</c>
/// over all pairs. <c>s(u,i) = x_u·y_i</c>.
/// </summary>
public sealed record AlsModel : IRecommenderModel
{
    public const string MethodName = "als";

    public string Name => MethodName;

    public int Factors { get; init; } = 64;

    public int Iterations { get; init; } = 10;

    public double Alpha { get; init; } = 12;

    public double Regularization { get; init; } = 200;

    /// <summary>CG steps per row and half-iteration (3 in <c>implicit</c>).</summary>
    public int CgSteps { get; init; } = 3;

    public int Seed { get; init; } = 42;

    public int ExplainItems { get; init; } = 3;

    /// <summary>-1 uses every core.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    public ITrainedModel Fit(ModelInput input, CancellationToken cancellationToken) => Train(input, cancellationToken);

    public AlsTrained Train(ModelInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfLessThan(Factors, 1);
        var clock = Stopwatch.StartNew();
        var slice = input.Matrix.Slice(input.Kind);
        var k = Factors;
        var users = input.UserCount;
        var items = input.ItemCount;
        var userConfidence = Confidence(slice.Weights);
        var itemConfidence = Confidence(slice.HolderWeights);

        // implicit's start: uniform [0, 0.01).
        var random = new Random(Seed);
        var x = new float[(long)users * k];
        var y = new float[(long)items * k];
        for (var n = 0; n < x.Length; n++)
        {
            x[n] = (float)(random.NextDouble() * 0.01);
        }

        for (var n = 0; n < y.Length; n++)
        {
            y[n] = (float)(random.NextDouble() * 0.01);
        }

        var solver = new ConjugateGradientStep(k, (float)Regularization, CgSteps, MaxDegreeOfParallelism);
        for (var iteration = 0; iteration < Iterations; iteration++)
        {
            solver.Solve(x, y, users, items, slice.UserOffsets, slice.Items, userConfidence, cancellationToken);
            solver.Solve(y, x, items, users, slice.ItemOffsets, slice.Holders, itemConfidence, cancellationToken);
        }

        // A user with none of the kind has no evidence: x_u = 0 (CG from the random start only approaches it, and the
        // hybrid's per-user scaling would make that remainder a ranking).
        for (var u = 0; u < users; u++)
        {
            if (slice.UserOffsets[u] == slice.UserOffsets[u + 1])
            {
                x.AsSpan(u * k, k).Clear();
            }
        }

        return new AlsTrained(this, input, x, y, userConfidence, clock.Elapsed);
    }

    /// <summary>iALS's confidence of each interaction weight w of the matrix: c = 1 + α·w (docs/algorithms.md).</summary>
    internal float[] Confidence(double[] weights)
    {
        var alpha = (float)Alpha;
        return [.. weights.Select(w => 1 + (alpha * (float)w))];
    }
}
