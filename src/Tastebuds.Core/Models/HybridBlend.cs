namespace Tastebuds.Core.Models;

/// <summary>The per-user scaling of a component's scores before they are blended.</summary>
internal static class HybridBlend
{
    /// <summary>Zeroes the user's own items and negatives, then divides by the largest score left (if any).</summary>
    public static void Normalise(Span<double> scores, ReadOnlySpan<int> own)
    {
        foreach (var i in own)
        {
            scores[i] = 0;
        }

        var max = 0.0;
        for (var i = 0; i < scores.Length; i++)
        {
            if (!(scores[i] > 0) || !double.IsFinite(scores[i]))
            {
                scores[i] = 0;
            }
            else if (scores[i] > max)
            {
                max = scores[i];
            }
        }

        if (max > 0)
        {
            var scale = 1.0 / max;
            for (var i = 0; i < scores.Length; i++)
            {
                scores[i] *= scale;
            }
        }
    }
}
