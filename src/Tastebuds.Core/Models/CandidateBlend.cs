namespace Tastebuds.Core.Models;

/// <summary>
/// The hybrid's candidates and normalised component scores for one user. Candidates:
/// <c>C(u) = (∪_m Top_R(s_m(u,·)) ∪ Popular_P) \ I(u)</c> over the components whose scores are sparse (RP3beta,
/// tags, friends: every component but iALS), with R = <see cref="HybridModel.CandidatesPerComponent"/> and P =
/// <see cref="HybridModel.PopularCandidates"/>; every item not the user's when no component is sparse or
/// <see cref="HybridModel.FullRanking"/> is set. Then <c>ŝ_m(u,i) = max(0, s_m(u,i)) / max_{j∈C(u)} s_m(u,j)</c>
/// for i in C(u): iALS is scored on the candidates only (one dot product each), never on the whole catalogue.
/// </summary>
internal sealed class CandidateBlend
{
    private readonly ITrainedModel[] _components;
    private readonly int _perComponent;
    private readonly int[] _popular;

    public CandidateBlend(ITrainedModel[] components, int perComponent, int popular, bool full)
    {
        _components = components;
        _perComponent = perComponent;
        Full = full || components.All(c => c is ICandidateScorer and not ISparseScorer);
        var input = components[0].Input;
        var holders = Enumerable.Range(0, input.ItemCount).Select(i => input.Matrix.HoldersOf(input.Kind, i).Length).ToArray();
        _popular = [.. Enumerable.Range(0, input.ItemCount).Where(i => holders[i] > 0)
            .OrderByDescending(i => holders[i]).ThenBy(i => i).Take(popular)];
    }

    public bool Full { get; }

    public int ComponentCount => _components.Length;

    public ModelInput Input => _components[0].Input;

    public Workspace CreateWorkspace() => new(Input.ItemCount, _components.Length);

    /// <summary>
    /// Fills <see cref="Workspace.Items"/> (C(u), ascending) and <see cref="Workspace.Parts"/> (ŝ_m, row-major
    /// [candidate, component]); a component whose weight is 0 gets a column of zeros when it adds no candidates.
    /// </summary>
    public void Fill(int user, Workspace ws, IReadOnlyList<double>? weights)
    {
        ws.Begin(Input.ItemsOf(user));
        var m = _components.Length;
        if (Full)
        {
            FillFull(user, ws, weights);
            return;
        }

        for (var c = 0; c < m; c++)
        {
            if (IsDense(c))
            {
                continue;
            }

            var scores = ws.Sparse(c);
            scores.Clear();
            if (_components[c] is ISparseScorer sparse)
            {
                sparse.ScoreSparse(user, scores);
            }
            else
            {
                ScoreThroughBuffer(_components[c], user, ws.Dense, scores);
            }

            ws.AddTop(scores, _perComponent);
        }

        foreach (var item in _popular)
        {
            ws.AddCandidate(item);
        }

        ws.SortCandidates();
        var items = ws.Items;
        var parts = ws.PartsFor(items.Count);
        for (var c = 0; c < m; c++)
        {
            if (IsDense(c))
            {
                if (weights is not null && weights[c] == 0)
                {
                    continue;
                }

                var column = ws.Column(items.Count);
                ((ICandidateScorer)_components[c]).ScoreItems(user, ws.ItemSpan, column);
                for (var n = 0; n < items.Count; n++)
                {
                    parts[(n * m) + c] = column[n];
                }
            }
            else
            {
                var scores = ws.Sparse(c);
                for (var n = 0; n < items.Count; n++)
                {
                    parts[(n * m) + c] = scores[items[n]];
                }
            }

            Normalise(parts, items.Count, m, c);
        }
    }

    private bool IsDense(int component) => _components[component] is ICandidateScorer and not ISparseScorer;

    private void FillFull(int user, Workspace ws, IReadOnlyList<double>? weights)
    {
        var m = _components.Length;
        var own = Input.ItemsOf(user);
        var next = 0;
        for (var i = 0; i < Input.ItemCount; i++)
        {
            if (next < own.Length && own[next] == i)
            {
                next++;
                continue;
            }

            ws.AddCandidate(i);
        }

        var items = ws.Items;
        var parts = ws.PartsFor(items.Count);
        for (var c = 0; c < m; c++)
        {
            if (weights is not null && weights[c] == 0)
            {
                continue;
            }

            Array.Clear(ws.Dense);
            _components[c].Score(user, ws.Dense);
            for (var n = 0; n < items.Count; n++)
            {
                parts[(n * m) + c] = ws.Dense[items[n]];
            }

            Normalise(parts, items.Count, m, c);
        }
    }

    private static void ScoreThroughBuffer(ITrainedModel model, int user, double[] buffer, SparseScores scores)
    {
        Array.Clear(buffer);
        model.Score(user, buffer);
        for (var i = 0; i < buffer.Length; i++)
        {
            if (buffer[i] != 0)
            {
                scores.Add(i, buffer[i]);
            }
        }
    }

    /// <summary>Negatives and non-finite values to 0, then the column divided by its largest value (if any).</summary>
    private static void Normalise(double[] parts, int count, int m, int c)
    {
        var max = 0.0;
        for (var n = 0; n < count; n++)
        {
            var s = parts[(n * m) + c];
            if (!(s > 0) || !double.IsFinite(s))
            {
                parts[(n * m) + c] = 0;
            }
            else if (s > max)
            {
                max = s;
            }
        }

        if (max > 0)
        {
            var scale = 1.0 / max;
            for (var n = 0; n < count; n++)
            {
                parts[(n * m) + c] *= scale;
            }
        }
    }
}
