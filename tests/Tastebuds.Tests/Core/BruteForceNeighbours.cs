using Tastebuds.Core;
using Tastebuds.Core.Similarity;

namespace Tastebuds.Tests.Core;

/// <summary>
/// The plain all-pairs reference: every (u, v), every kind, intersections by dictionary lookup.
/// Sums run over shared items in ascending item order and the formulas are written out the same way
/// as the library, so equal scores tie bit for bit and the tie rule can be checked exactly.
/// </summary>
internal static class BruteForceNeighbours
{
    public static List<Neighbour>[][] Compute(InteractionMatrix m, SimilarityOptions o)
    {
        var metrics = Enum.GetValues<SimilarityMetric>();
        var result = metrics.Select(_ => new List<Neighbour>[m.UserCount]).ToArray();
        for (var u = 0; u < m.UserCount; u++)
        {
            var candidates = metrics.Select(_ => new List<Neighbour>()).ToArray();
            for (var v = 0; v < m.UserCount; v++)
            {
                if (v == u)
                {
                    continue;
                }

                foreach (var metric in metrics)
                {
                    var n = Pair(m, o, metric, u, v);
                    if (n.SharedItems >= Math.Max(1, o.MinSharedItems) && n.Score >= o.SimilarityThreshold)
                    {
                        candidates[(int)metric].Add(n);
                    }
                }
            }

            foreach (var metric in metrics)
            {
                result[(int)metric][u] = candidates[(int)metric]
                    .OrderByDescending(n => n.Score).ThenBy(n => n.User)
                    .Take(o.MaxSimilarUsers).ToList();
            }
        }

        return result;
    }

    private static Neighbour Pair(InteractionMatrix m, SimilarityOptions o, SimilarityMetric metric, int u, int v)
    {
        var perKind = new double?[3];
        var shared = new int[3];
        double weighted = 0, alphaSum = 0;
        foreach (var kind in InteractionMatrix.Kinds)
        {
            var itemsU = m.ItemsOf(u, kind).ToArray();
            var weightsU = m.WeightsOf(u, kind).ToArray();
            var ofV = Dictionary(m, v, kind);
            var common = itemsU.Select((item, i) => (item, x: weightsU[i]))
                .Where(p => ofV.ContainsKey(p.item))
                .Select(p => (p.x, y: ofV[p.item]))
                .ToList();
            shared[(int)kind] = common.Count;
            if (itemsU.Length == 0 || ofV.Count == 0)
            {
                continue;
            }

            var score = metric switch
            {
                SimilarityMetric.Cosine => Cosine(common, weightsU, ofV.Values),
                SimilarityMetric.Jaccard => (double)common.Count / (itemsU.Length + ofV.Count - common.Count),
                _ => Pearson(common),
            };
            perKind[(int)kind] = score;
            var alpha = o.KindWeight(kind);
            weighted += alpha * score;
            alphaSum += alpha;
        }

        var total = shared.Sum();
        var significance = o.ShrinkageShared > 0 ? Math.Min(1.0, total / o.ShrinkageShared) : 1.0;
        var combined = alphaSum > 0 ? weighted / alphaSum * significance : 0.0;
        return new Neighbour(v, combined, perKind[0], perKind[1], perKind[2], shared[0], shared[1], shared[2]);
    }

    private static Dictionary<int, double> Dictionary(InteractionMatrix m, int user, ItemKind kind)
    {
        var items = m.ItemsOf(user, kind).ToArray();
        var weights = m.WeightsOf(user, kind).ToArray();
        return items.Select((item, i) => (item, w: weights[i])).ToDictionary(p => p.item, p => p.w);
    }

    private static double Cosine(List<(double x, double y)> common, double[] weightsU, IEnumerable<double> weightsV)
    {
        double dot = 0, normU = 0, normV = 0;
        foreach (var (x, y) in common)
        {
            dot += x * y;
        }

        foreach (var w in weightsU)
        {
            normU += w * w;
        }

        foreach (var w in weightsV)
        {
            normV += w * w;
        }

        var denominator = Math.Sqrt(normU) * Math.Sqrt(normV);
        return denominator > 0 ? dot / denominator : 0;
    }

    /// <summary>Pearson over shared items from the five sums (the two-pass value is checked separately).</summary>
    private static double Pearson(List<(double x, double y)> common)
    {
        var n = common.Count;
        if (n < 2)
        {
            return 0;
        }

        double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
        foreach (var (x, y) in common)
        {
            sx += x;
            sy += y;
            sxx += x * x;
            syy += y * y;
            sxy += x * y;
        }

        var varX = sxx - (sx * sx / n);
        var varY = syy - (sy * sy / n);
        if (varX <= 1e-10 * sxx || varY <= 1e-10 * syy)
        {
            return 0;
        }

        return Math.Clamp((sxy - (sx * sy / n)) / Math.Sqrt(varX * varY), -1, 1);
    }

    /// <summary>Textbook Pearson: means over the shared items, then centred sums.</summary>
    public static double TwoPassPearson(IReadOnlyList<(double x, double y)> common)
    {
        if (common.Count < 2)
        {
            return 0;
        }

        var mx = common.Average(p => p.x);
        var my = common.Average(p => p.y);
        double cov = 0, vx = 0, vy = 0;
        foreach (var (x, y) in common)
        {
            cov += (x - mx) * (y - my);
            vx += (x - mx) * (x - mx);
            vy += (y - my) * (y - my);
        }

        return vx < 1e-12 || vy < 1e-12 ? 0 : cov / Math.Sqrt(vx * vy);
    }
}
