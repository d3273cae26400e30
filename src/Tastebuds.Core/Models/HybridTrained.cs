using System.Collections.Concurrent;

namespace Tastebuds.Core.Models;

/// <summary>
/// A fitted hybrid: its components fitted on the whole input and the weights tuned on validation. A user's blend
/// is computed over the candidates of <see cref="CandidateBlend"/> only; every other item scores 0.
/// </summary>
public sealed class HybridTrained : ITrainedModel, ICandidateRanker
{
    private readonly ITrainedModel[] _components;
    private readonly CandidateBlend _blend;
    private readonly ConcurrentBag<Workspace> _workspaces = [];
    private readonly double[]? _fallback;

    internal HybridTrained(ITrainedModel[] components, HybridTuning tuning, CandidateBlend blend)
    {
        _components = components;
        _blend = blend;
        Tuning = tuning;
        _fallback = tuning.Weights.Any(w => w == 0) ? [.. tuning.Weights.Select(w => w == 0 ? 1.0 : 0)] : null;
    }

    public string Name => HybridModel.MethodName;

    public ModelInput Input => _components[0].Input;

    public HybridTuning Tuning { get; }

    /// <summary>Wall time of the validation tuning inside <see cref="HybridModel.Train"/> (components fitted on the carve, blend search).</summary>
    public TimeSpan TuneElapsed { get; init; }

    /// <summary>Wall time of refitting the components on the whole input.</summary>
    public TimeSpan RefitElapsed { get; init; }

    public IReadOnlyList<ITrainedModel> Components => _components;

    /// <summary>On the one fit (<see cref="HybridTuning.OneFit"/>): the validation users, whose held-out items the fit did not see.</summary>
    public IReadOnlyList<int> ServedFromTuningFit { get; init; } = [];

    public void Score(int user, Span<double> scores)
    {
        var ws = Rent();
        try
        {
            var blended = Blend(user, ws, out _);
            for (var n = 0; n < ws.Items.Count; n++)
            {
                scores[ws.Items[n]] += blended[n];
            }
        }
        finally
        {
            Return(ws);
        }
    }

    ModelRecommendation[] ICandidateRanker.Top(int user, int count, long[]? groupOfItem, int maxPerGroup, int[]? excluded)
    {
        var ws = Rent();
        try
        {
            return Top(user, count, groupOfItem, maxPerGroup, excluded, ws, out _);
        }
        finally
        {
            Return(ws);
        }
    }

    private ModelRecommendation[] Top(int user, int count, long[]? groupOfItem, int maxPerGroup, int[]? excluded, Workspace ws,
        out IReadOnlyList<double> weights)
    {
        var blended = Blend(user, ws, out weights);
        foreach (var item in excluded ?? [])
        {
            var n = ws.IndexOf(item);
            if (n >= 0)
            {
                blended[n] = 0;
            }
        }

        return ModelRanking.SelectFrom(ws.ItemSpan, blended, count, groupOfItem, maxPerGroup);
    }

    /// <summary>Each component's share of the blended score, then the reasons of the largest one.</summary>
    public ModelExplanation Explain(int user, int item) => ExplainAll(user, [item])[0];

    public IReadOnlyList<ModelExplanation> ExplainAll(int user, IReadOnlyList<int> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var ws = Rent();
        try
        {
            return Explain(user, items, ws, Fill(user, ws));
        }
        finally
        {
            Return(ws);
        }
    }

    (ModelRecommendation[], IReadOnlyList<ModelExplanation>) ICandidateRanker.TopExplained(int user, int count, long[]? groupOfItem,
        int maxPerGroup, int[]? excluded, int explain)
    {
        var ws = Rent();
        try
        {
            var list = Top(user, count, groupOfItem, maxPerGroup, excluded, ws, out var weights);
            return (list, Explain(user, [.. list.Take(explain).Select(r => r.Item)], ws, weights));
        }
        finally
        {
            Return(ws);
        }
    }

    /// <summary>The explanations from a workspace <see cref="CandidateBlend.Fill"/> has filled for this user.</summary>
    private List<ModelExplanation> Explain(int user, IReadOnlyList<int> items, Workspace ws, IReadOnlyList<double> weights)
    {
        var m = _components.Length;
        var parts = new double[items.Count, m];
        for (var n = 0; n < items.Count; n++)
        {
            var at = ws.IndexOf(items[n]);
            for (var c = 0; at >= 0 && c < m; c++)
            {
                parts[n, c] = weights[c] * ws.Parts[(at * m) + c];
            }
        }

        var result = new List<Evidence>?[items.Count];
        var byComponent = new List<int>?[m];
        for (var n = 0; n < items.Count; n++)
        {
            var total = 0.0;
            for (var c = 0; c < m; c++)
            {
                total += parts[n, c];
            }

            if (total <= 0)
            {
                continue;
            }

            var evidence = new List<Evidence>();
            for (var c = 0; c < m; c++)
            {
                if (parts[n, c] > 0)
                {
                    evidence.Add(new Evidence(EvidenceKind.Component, c, weights[c], parts[n, c] / total, _components[c].Name));
                }
            }

            evidence.Sort(static (a, b) => b.Contribution.CompareTo(a.Contribution));
            result[n] = evidence;
            (byComponent[evidence[0].Id] ??= []).Add(n);
        }

        // One ExplainAll per component for all the items it leads: iALS factors its system once per user, not per item.
        for (var c = 0; c < m; c++)
        {
            if (byComponent[c] is { } led)
            {
                var reasons = _components[c].ExplainAll(user, [.. led.Select(n => items[n])]);
                for (var k = 0; k < led.Count; k++)
                {
                    result[led[k]]!.AddRange(reasons[k].Evidence);
                }
            }
        }

        return [.. result.Select(e => e is null ? ModelExplanation.Empty(Name) : new ModelExplanation(Name, e))];
    }

    /// <summary>
    /// Fills the workspace for this user and returns the weights it blends with:
    /// the tuned ones; or, for a user they give no evidence at all (every candidate blends to 0, e.g. a user with no tracks
    /// of their own, for whom iALS and RP3beta score nothing), 1 for each component the tuning left at 0 and 0 for the
    /// others, so that friends or tags still serve them. The tuning's users all have a history, so this changes no ranking
    /// the validation chose (docs/algorithms.md "Side signals").
    /// </summary>
    private IReadOnlyList<double> Fill(int user, Workspace ws)
    {
        _blend.Fill(user, ws, Tuning.Weights);
        if (_fallback is null || HasEvidence(ws, Tuning.Weights))
        {
            return Tuning.Weights;
        }

        _blend.Fill(user, ws, _fallback);
        return _fallback;
    }

    private bool HasEvidence(Workspace ws, IReadOnlyList<double> weights)
    {
        var m = _components.Length;
        for (var n = 0; n < ws.Items.Count; n++)
        {
            for (var c = 0; c < m; c++)
            {
                if (weights[c] * ws.Parts[(n * m) + c] > 0)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private Workspace Rent() => _workspaces.TryTake(out var ws) ? ws : _blend.CreateWorkspace();

    /// <summary>
    /// Keeps a workspace for the next user, up to two per core: at 200,000 items one is ≈ 9 MB, and a thread pool
    /// grown under load must not leave one behind per thread it ever ran.
    /// </summary>
    private void Return(Workspace ws)
    {
        if (_workspaces.Count < 2 * Environment.ProcessorCount)
        {
            _workspaces.Add(ws);
        }
    }

    /// <summary>Σ_m w_m·ŝ_m(u,i) per candidate, aligned with <see cref="Workspace.Items"/>.</summary>
    private Span<double> Blend(int user, Workspace ws, out IReadOnlyList<double> weights)
    {
        weights = Fill(user, ws);
        var m = _components.Length;
        var count = ws.Items.Count;
        // A thread's buffer, not an array per user (its allocation and zeroing were ≈ 1 % of the stage at 100,000 users).
        var blended = ws.Blended(count);
        for (var n = 0; n < count; n++)
        {
            var s = 0.0;
            for (var c = 0; c < m; c++)
            {
                s += weights[c] * ws.Parts[(n * m) + c];
            }

            blended[n] = s;
        }

        return blended;
    }
}
