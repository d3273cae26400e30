namespace Tastebuds.Core.Models;

/// <summary>
/// Coordinate ascent on validation NDCG@k: start from the best single component (weight 1), then, pass after
/// pass, set each weight in turn to the grid value that scores best with the others held (a tie keeps the current
/// value).
/// </summary>
internal static class HybridTuner
{
    public static HybridTuning CoordinateAscent(ValidationTable table, string[] names, IReadOnlyList<double> grid, int passes, int cutOff)
    {
        var m = table.ComponentCount;
        var trials = new List<HybridTrial>();
        double Trial(double[] w)
        {
            var ndcg = Ndcg(table, w, cutOff);
            trials.Add(new HybridTrial([.. w], ndcg));
            return ndcg;
        }

        var best = new double[m];
        var bestNdcg = double.NegativeInfinity;
        for (var c = 0; c < m; c++)
        {
            var oneHot = new double[m];
            oneHot[c] = 1;
            var ndcg = Trial(oneHot);
            if (ndcg > bestNdcg)
            {
                (best, bestNdcg) = (oneHot, ndcg);
            }
        }

        for (var pass = 0; pass < passes; pass++)
        {
            var improved = false;
            for (var c = 0; c < m; c++)
            {
                foreach (var value in grid)
                {
                    if (value == best[c])
                    {
                        continue;
                    }

                    var w = (double[])best.Clone();
                    w[c] = value;
                    if (w.All(x => x == 0))
                    {
                        continue;
                    }

                    var ndcg = Trial(w);
                    if (ndcg > bestNdcg + 1e-12)
                    {
                        (best, bestNdcg, improved) = (w, ndcg, true);
                    }
                }
            }

            if (!improved)
            {
                break;
            }
        }

        return new HybridTuning(names, best, bestNdcg, table.Rows.Length, trials);
    }

    internal static double Ndcg(ValidationTable table, double[] weights, int cutOff)
    {
        var perUser = new double[table.Rows.Length];
        Parallel.For(0, perUser.Length, Parallelism.Options(CancellationToken.None), n => perUser[n] = Ndcg(table.Rows[n], weights, cutOff));
        return perUser.Length > 0 ? perUser.Sum() / perUser.Length : 0;
    }

    private static double Ndcg(ValidationTable.Row row, double[] weights, int cutOff)
    {
        var m = weights.Length;
        var blended = new (double Score, int Index)[row.Items.Length];
        for (var c = 0; c < blended.Length; c++)
        {
            var s = 0.0;
            for (var k = 0; k < m; k++)
            {
                s += weights[k] * row.Scores[(c * m) + k];
            }

            blended[c] = (s, c);
        }

        // Ties go to the lower item index, as in ModelRanking (candidates are ascending).
        Array.Sort(blended, static (x, y) => x.Score != y.Score ? y.Score.CompareTo(x.Score) : x.Index.CompareTo(y.Index));
        var dcg = 0.0;
        for (var r = 0; r < Math.Min(cutOff, blended.Length); r++)
        {
            if (blended[r].Score > 0 && row.Relevant[blended[r].Index])
            {
                dcg += 1.0 / Math.Log2(r + 2);
            }
        }

        var idcg = 0.0;
        for (var r = 0; r < Math.Min(cutOff, row.TargetCount); r++)
        {
            idcg += 1.0 / Math.Log2(r + 2);
        }

        return idcg > 0 ? dcg / idcg : 0;
    }
}
