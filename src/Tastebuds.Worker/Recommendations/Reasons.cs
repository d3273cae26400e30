using Tastebuds.Core;
using Tastebuds.Core.Models;
using Tastebuds.Core.Recommendations;

namespace Tastebuds.Worker.Recommendations;

/// <summary>
/// A recommendation's explanation as stored (sql/0009): parallel arrays, one element per reason, largest first.
/// Kinds are Core's <see cref="EvidenceKind"/> codes; ids are database ids (tracks for items, users for neighbours and
/// friends, <c>recommendation_methods.code</c> for a hybrid's components, <c>tags.id</c> for tags). The read function renders them as jsonb
/// with the names joined (docs/algorithms.md, "Explanations").
/// </summary>
internal sealed record Reasons(short[] Kinds, long[] Ids, float[] Weights, float[] Contributions)
{
    /// <summary>A user-kNN recommendation: its top contributing neighbours (similarity, contribution).</summary>
    public static Reasons Of(Recommendation recommendation, InteractionMatrix matrix)
    {
        var top = recommendation.TopContributors;
        var reasons = Sized(top.Count);
        for (var n = 0; n < top.Count; n++)
        {
            reasons.Set(n, EvidenceKind.Neighbour, matrix.UserId(top[n].Neighbour), top[n].Similarity, top[n].Amount);
        }

        return reasons;
    }

    /// <summary>A model's explanation; <paramref name="methodCode"/> gives a hybrid component's code.</summary>
    public static Reasons Of(ModelExplanation explanation, ModelInput input, Func<string, short> methodCode)
    {
        var evidence = explanation.Evidence;
        var reasons = Sized(evidence.Count);
        for (var n = 0; n < evidence.Count; n++)
        {
            var e = evidence[n];
            var id = e.Kind switch
            {
                EvidenceKind.Item => input.Matrix.ItemId(input.Kind, e.Id),
                EvidenceKind.Neighbour or EvidenceKind.Friend => input.Matrix.UserId(e.Id),
                EvidenceKind.Tag => input.Side.TagId(e.Id),
                EvidenceKind.Component => methodCode(e.Component ?? throw new InvalidOperationException($"{explanation.Method}: a component without a name")),
                _ => e.Id,
            };
            reasons.Set(n, e.Kind, id, e.Weight, e.Contribution);
        }

        return reasons;
    }

    /// <summary>Reasons that are not a hybrid's component shares: the supporting count of a model's row (at least 1).</summary>
    public short Supporting => (short)Math.Clamp(Kinds.Count(k => k != (short)EvidenceKind.Component), 1, short.MaxValue);

    private static Reasons Sized(int count) => new(new short[count], new long[count], new float[count], new float[count]);

    private void Set(int n, EvidenceKind kind, long id, double weight, double contribution)
    {
        Kinds[n] = (short)kind;
        Ids[n] = id;
        Weights[n] = (float)weight;
        Contributions[n] = (float)contribution;
    }
}
