using System.Diagnostics;
using Tastebuds.Core.Evaluation;

namespace Tastebuds.Core.Models;

/// <summary>
/// A weighted blend of scorers: <c>s(u,i) = Σ_m w_m · max(0, s_m(u,i)) / max_{j∉I(u)} s_m(u,j)</c> (each component's
/// scores scaled to at most 1 per user over the items it may recommend). The weights are tuned by coordinate ascent
/// over <see cref="Grid"/> on a validation split carved from the input it is fitted on, so the caller's test items,
/// which are not in that input, can never reach the tuning. The components are then refitted on the whole input, or,
/// where the validation holdout is a small share of it, served from the tuning's fit (<see cref="OneFitMaxHoldoutShare"/>).
/// </summary>
public sealed record HybridModel(IReadOnlyList<IRecommenderModel> Components) : IRecommenderModel
{
    public const string MethodName = "hybrid";

    public string Name => MethodName;

    /// <summary>Values each weight may take during the coordinate ascent.</summary>
    public IReadOnlyList<double> Grid { get; init; } = [0, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3];

    /// <summary>Share of each validation user's input items hidden as the validation targets.</summary>
    public double ValidationFraction { get; init; } = 0.2;

    public int MinItemsToValidate { get; init; } = 5;

    public int ValidationSeed { get; init; } = 7;

    /// <summary>Validation users at most (a seeded sample beyond that), to bound tuning on large catalogues.</summary>
    public int MaxValidationUsers { get; init; } = 3_000;

    /// <summary>
    /// Users whose interactions the tuning fits on at most: beyond that a seeded sample of this many keeps theirs
    /// and the others are emptied for the tuning only (the refit uses everyone), so tuning at 100,000 users costs
    /// what it costs at this many. HetRec (1,892 users) is far below it. Not 5,000: at
    /// 100,000 users that sample chose other weights (docs/benchmarks.md "The hybrid's training at 100,000 users").
    /// </summary>
    public int MaxTuningUsers { get; init; } = 20_000;

    /// <summary>Each component's top items per validation user that enter the blend's candidate set.</summary>
    public int Candidates { get; init; } = 100;

    /// <summary>
    /// R of <see cref="CandidateBlend"/>: each sparse component's best items per user that the blend ranks (250: the same
    /// validation NDCG@10 as 500 at 100,000 users and on HetRec, docs/benchmarks.md "The hybrid's one fit").
    /// </summary>
    public int CandidatesPerComponent { get; init; } = 250;

    /// <summary>P of <see cref="CandidateBlend"/>: the most held items, always among the candidates.</summary>
    public int PopularCandidates { get; init; } = 500;

    /// <summary>Blend over every item (the whole-catalogue pass per component and user) instead of the candidates.</summary>
    public bool FullRanking { get; init; }

    public int Passes { get; init; } = 2;

    public int CutOff { get; init; } = 10;

    /// <summary>
    /// The one fit's threshold: when the validation holdout (<see cref="MaxValidationUsers"/> users ×
    /// <see cref="ValidationFraction"/> of their items) is at most this share of the input's interactions, the components
    /// are fitted once, on the input without the holdout; the weights are tuned on that fit and production is served
    /// from it (iALS re-solves only the validation users' factors from their whole rows; the item graph is kept).
    /// Above it (HetRec: every user validates, ≈ 20 %) the tuning fits on the validation split and the components are
    /// refitted on the whole input (docs/algorithms.md "One fit").
    /// </summary>
    public double OneFitMaxHoldoutShare { get; init; } = 0.02;

    public ITrainedModel Fit(ModelInput input, CancellationToken cancellationToken) => Train(input, cancellationToken);

    public HybridTrained Train(ModelInput input, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var (tuning, onHoldout, split) = TuneAndFit(input, cancellationToken);
        var tuned = clock.Elapsed;
        ITrainedModel[] fitted;
        if (tuning.OneFit)
        {
            // Served from the tuning's own fit: only what cannot be served on the whole input is fitted again (tags,
            // friends: cheap), never on the holdout's train part (production must see every interaction).
            fitted = [.. onHoldout.Select((f, c) => f is IServableOnWhole servable
                ? servable.ServeOn(input, split.EvaluatedUsers, cancellationToken)
                : Components[c].Fit(input, cancellationToken))];
        }
        else
        {
            fitted = [.. Components.Select(c => c.Fit(input, cancellationToken))];
        }

        return new HybridTrained(fitted, tuning, Blend(fitted))
        {
            TuneElapsed = tuned,
            RefitElapsed = clock.Elapsed - tuned,
            ServedFromTuningFit = tuning.OneFit ? [.. split.EvaluatedUsers] : [],
        };
    }

    /// <summary>A hybrid of components fitted elsewhere, blended with given weights (benchmarks compare fits with it).</summary>
    public HybridTrained Combine(IReadOnlyList<ITrainedModel> fitted, HybridTuning tuning)
    {
        ArgumentNullException.ThrowIfNull(fitted);
        var components = fitted.ToArray();
        return new HybridTrained(components, tuning, Blend(components));
    }

    /// <summary>The weights, from a validation split of <paramref name="input"/> only.</summary>
    public HybridTuning Tune(ModelInput input, CancellationToken cancellationToken) => TuneAndFit(input, cancellationToken).Tuning;

    /// <summary>
    /// The validation split (on the one fit: of the chosen validation users only, every other user keeps every item;
    /// otherwise: of every user of <see cref="TuningMatrix"/>), the components fitted on its train part, the weights.
    /// </summary>
    private (HybridTuning Tuning, ITrainedModel[] Fitted, HoldoutSplit Split) TuneAndFit(ModelInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (Components.Count == 0)
        {
            throw new InvalidOperationException("A hybrid needs at least one component.");
        }

        var (chosen, share) = ValidationUsers(input);
        var oneFit = share <= OneFitMaxHoldoutShare;
        var split = oneFit
            ? HoldoutSplit.Create(input.Matrix, input.Kind, ValidationFraction, MinItemsToValidate, ValidationSeed, chosen)
            : HoldoutSplit.Create(TuningMatrix(input), input.Kind, ValidationFraction, MinItemsToValidate, ValidationSeed);
        var validation = new ModelInput(split.Train, input.Kind, input.Side.Without(split));
        var fitted = Components.Select(c => c.Fit(validation, cancellationToken)).ToArray();
        var users = split.EvaluatedUsers.ToArray();
        if (users.Length > MaxValidationUsers)
        {
            new Random(ValidationSeed).Shuffle(users);
            users = [.. users.Take(MaxValidationUsers).Order()];
        }

        var table = ValidationTable.Build(Blend(fitted), split, users, Candidates, cancellationToken);
        var tuning = HybridTuner.CoordinateAscent(table, [.. Components.Select(c => c.Name)], Grid, Passes, CutOff)
            with { OneFit = oneFit, HoldoutShare = share };
        return (tuning, fitted, split);
    }

    /// <summary>
    /// The one fit's validation users (a seeded sample of <see cref="MaxValidationUsers"/> of those with at least
    /// <see cref="MinItemsToValidate"/> items) and the share of the input's interactions their holdout hides.
    /// </summary>
    private (bool[] Chosen, double Share) ValidationUsers(ModelInput input)
    {
        var slice = input.Matrix.Slice(input.Kind);
        var eligible = Enumerable.Range(0, input.UserCount)
            .Where(u => HoldoutSplit.Holds(slice.Count(u), MinItemsToValidate)).ToArray();
        if (eligible.Length > MaxValidationUsers)
        {
            new Random(ValidationSeed).Shuffle(eligible);
            eligible = eligible[..MaxValidationUsers];
        }

        var chosen = new bool[input.UserCount];
        var hidden = 0L;
        foreach (var u in eligible)
        {
            chosen[u] = true;
            hidden += HoldoutSplit.HiddenCount(slice.Count(u), ValidationFraction);
        }

        var total = slice.Items.Length;
        return (chosen, total > 0 ? (double)hidden / total : 1);
    }

    /// <summary>The input's matrix, or with every user outside a seeded sample of <see cref="MaxTuningUsers"/> emptied.</summary>
    private InteractionMatrix TuningMatrix(ModelInput input)
    {
        if (input.UserCount <= MaxTuningUsers)
        {
            return input.Matrix;
        }

        var users = Enumerable.Range(0, input.UserCount).ToArray();
        new Random(ValidationSeed).Shuffle(users);
        var kept = new bool[input.UserCount];
        foreach (var u in users.AsSpan(0, MaxTuningUsers))
        {
            kept[u] = true;
        }

        var offsets = input.Matrix.Slice(input.Kind).UserOffsets;
        var removed = new bool[offsets[^1]];
        for (var u = 0; u < input.UserCount; u++)
        {
            if (!kept[u])
            {
                removed.AsSpan(offsets[u], offsets[u + 1] - offsets[u]).Fill(true);
            }
        }

        return input.Matrix.Without(input.Kind, removed);
    }

    private CandidateBlend Blend(ITrainedModel[] fitted) => new(fitted, CandidatesPerComponent, PopularCandidates, FullRanking);
}
