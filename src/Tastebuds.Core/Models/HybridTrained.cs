using System.Buffers;

namespace Tastebuds.Core.Models;

/// <summary>A fitted hybrid: its components fitted on the whole input and the weights tuned on validation.</summary>
public sealed class HybridTrained : ITrainedModel
{
    private readonly ITrainedModel[] _components;

    internal HybridTrained(ITrainedModel[] components, HybridTuning tuning)
    {
        _components = components;
        Tuning = tuning;
    }

    public string Name => HybridModel.MethodName;

    public ModelInput Input => _components[0].Input;

    public HybridTuning Tuning { get; }

    public IReadOnlyList<ITrainedModel> Components => _components;

    public void Score(int user, Span<double> scores)
    {
        var buffer = ArrayPool<double>.Shared.Rent(scores.Length);
        try
        {
            var part = buffer.AsSpan(0, scores.Length);
            for (var m = 0; m < _components.Length; m++)
            {
                var w = Tuning.Weights[m];
                if (w == 0)
                {
                    continue;
                }

                part.Clear();
                _components[m].Score(user, part);
                HybridBlend.Normalise(part, Input.ItemsOf(user));
                for (var i = 0; i < scores.Length; i++)
                {
                    scores[i] += w * part[i];
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(buffer);
        }
    }

    /// <summary>Each component's share of the blended score, then the reasons of the largest one.</summary>
    public ModelExplanation Explain(int user, int item) => ExplainAll(user, [item])[0];

    public IReadOnlyList<ModelExplanation> ExplainAll(int user, IReadOnlyList<int> items)
    {
        ArgumentNullException.ThrowIfNull(items);

        // The scaling needs each component's maximum over all items: one full pass per component, not per item.
        var parts = new double[items.Count, _components.Length];
        var buffer = new double[Input.ItemCount];
        for (var m = 0; m < _components.Length; m++)
        {
            if (Tuning.Weights[m] == 0)
            {
                continue;
            }

            Array.Clear(buffer);
            _components[m].Score(user, buffer);
            HybridBlend.Normalise(buffer, Input.ItemsOf(user));
            for (var n = 0; n < items.Count; n++)
            {
                parts[n, m] = Tuning.Weights[m] * buffer[items[n]];
            }
        }

        var result = new List<ModelExplanation>(items.Count);
        for (var n = 0; n < items.Count; n++)
        {
            var total = 0.0;
            for (var m = 0; m < _components.Length; m++)
            {
                total += parts[n, m];
            }

            if (total <= 0)
            {
                result.Add(ModelExplanation.Empty(Name));
                continue;
            }

            var evidence = new List<Evidence>();
            for (var m = 0; m < _components.Length; m++)
            {
                if (parts[n, m] > 0)
                {
                    evidence.Add(new Evidence(EvidenceKind.Component, m, Tuning.Weights[m], parts[n, m] / total, _components[m].Name));
                }
            }

            evidence.Sort(static (a, b) => b.Contribution.CompareTo(a.Contribution));
            evidence.AddRange(_components[evidence[0].Id].Explain(user, items[n]).Evidence);
            result.Add(new ModelExplanation(Name, evidence));
        }

        return result;
    }
}
