namespace Tastebuds.Core.Similarity;

/// <summary>The per-kind measures and their combination, from accumulated pair sums.</summary>
internal static class PairScores
{
    // One-pass variances lose a few ulps; below this share of Σx² a variance is taken as 0.
    private const double ZeroVariance = 1e-10;

    public static double Cosine(double dot, double normU, double normV)
    {
        var denominator = normU * normV;
        return denominator > 0 ? dot / denominator : 0.0;
    }

    public static double Jaccard(double shared, int countU, int countV)
    {
        var union = countU + countV - shared;
        return union > 0 ? shared / union : 0.0;
    }

    /// <summary>Pearson over the shared items only, from Σx, Σy, Σx², Σy², Σxy over them.</summary>
    public static double Pearson(double n, double sx, double sy, double sxx, double syy, double sxy)
    {
        if (n < 2)
        {
            return 0.0;
        }

        var varX = sxx - (sx * sx / n);
        var varY = syy - (sy * sy / n);
        if (varX <= ZeroVariance * sxx || varY <= ZeroVariance * syy)
        {
            return 0.0;
        }

        var r = (sxy - (sx * sy / n)) / Math.Sqrt(varX * varY);
        return Math.Clamp(r, -1.0, 1.0);
    }

    /// <summary>
    /// One kind's score of a pair for <paramref name="metric"/>, from the pair sums over the shared items and each
    /// user's item count and norm over all their items of the kind (the full run and the incremental step both call it).
    /// </summary>
    public static double Kind(SimilarityMetric metric, double shared, double dot, double sumX, double sumY, double sumXX, double sumYY,
        VectorSummary u, VectorSummary v) => metric switch
    {
        SimilarityMetric.Cosine => Cosine(dot, u.Norm, v.Norm),
        SimilarityMetric.Jaccard => Jaccard(shared, u.Count, v.Count),
        _ => Pearson(shared, sumX, sumY, sumXX, sumYY, dot),
    };

    public static double Significance(double shared, double shrinkageShared) =>
        shrinkageShared > 0 ? Math.Min(1.0, shared / shrinkageShared) : 1.0;
}
