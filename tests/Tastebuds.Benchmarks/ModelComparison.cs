using System.Diagnostics;
using System.Globalization;
using Tastebuds.Core;
using Tastebuds.Core.Evaluation;
using Tastebuds.Core.HetRec;
using Tastebuds.Core.Models;
using Tastebuds.Core.Recommendations;
using Tastebuds.Core.Similarity;

namespace Tastebuds.Benchmarks;

/// <summary>
/// <c>models [--seed N]... [--validation] [--only a,b] [key=value...]</c>: every recommender of Core on HetRec
/// (artists, tags and friends) on one split per seed, as docs/evaluation.md reports it. Keys tune the models:
/// als.factors, als.iterations, als.alpha, als.reg, rp3.alpha, rp3.beta, rp3.k, rp3.weights, iknn.k, iknn.shrink,
/// tags.own, tags.profile, tags.norm, hybrid.full=1 (blend every item, not the candidates),
/// hybrid.r and hybrid.p (candidates per component and popular candidates), hybrid.rp3.k (the hybrid RP3beta's K, default ModelCatalogue.HybridRp3Beta's 100), hybrid.als.iterations and
/// hybrid.als.cg (its iALS, default ModelCatalogue.HybridAls's 8 and 2), hybrid.without=name+name (default cosine+item-knn+tags, as ModelCatalogue.Hybrid;
/// 'none' keeps all seven: als, rp3beta, item-knn, cosine, tags, tags-cosine, friends).
/// </summary>
internal static class ModelComparison
{
    public static void Run(string[] args)
    {
        var seeds = new List<int>();
        var validation = false;
        string[]? only = null;
        var settings = new Dictionary<string, string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--seed": seeds.Add(int.Parse(args[++i], CultureInfo.InvariantCulture)); break;
                case "--validation": validation = true; break;
                case "--only": only = args[++i].Split(','); break;
                default: settings[args[i].Split('=')[0]] = args[i].Split('=')[1]; break;
            }
        }

        if (seeds.Count == 0)
        {
            seeds.Add(42);
        }

        var clock = Stopwatch.StartNew();
        var (rows, tags, friends) = Load();
        var matrix = InteractionMatrix.Build(rows);
        var side = SideSignals.Create(matrix, ItemKind.Artist, tags, friends);
        Console.WriteLine($"Loaded in {clock.Elapsed.TotalSeconds:F2} s: {rows.Count} rows, {side.Tags.Count} tag assignments, {friends.Count} friend rows");
        var models = Models(settings).Where(m => only is null || only.Contains(m.Name)).ToList();
        var means = new Dictionary<string, List<double>>();
        foreach (var seed in seeds)
        {
            var result = ModelEvaluation.Run(matrix, side, new EvaluationOptions { Kind = ItemKind.Artist, Seed = seed }, models, validation,
                CancellationToken.None);
            Console.WriteLine($"## seed {seed}{(validation ? " (validation split)" : "")}");
            Console.WriteLine(result.Report.ToMarkdown(10));
            foreach (var m in result.Report.Methods)
            {
                (means.TryGetValue(m.Method, out var l) ? l : means[m.Method] = []).Add(m.Ndcg);
            }

            foreach (var hybrid in result.Fitted.OfType<HybridTrained>())
            {
                var t = hybrid.Tuning;
                Console.WriteLine($"hybrid weights: {string.Join(", ", t.Components.Zip(t.Weights, (n, w) => $"{n} {w}"))}; validation NDCG {t.ValidationNdcg:F4} over {t.ValidationUsers} users, {t.Trials.Count} trials");
            }
        }

        Console.WriteLine("## mean NDCG@10 over seeds " + string.Join(", ", seeds));
        foreach (var (method, values) in means)
        {
            Console.WriteLine($"| {method} | {values.Average():F4} | {string.Join(" / ", values.Select(v => v.ToString("F4", CultureInfo.InvariantCulture)))} |");
        }
    }

    internal static (IReadOnlyList<Interaction>, IReadOnlyList<TagRow>, IReadOnlyList<FriendRow>) Load()
    {
        var folder = DataFiles.HetRec();
        using var tags = new StreamReader(Path.Combine(folder, "user_taggedartists.dat"));
        using var friends = new StreamReader(Path.Combine(folder, "user_friends.dat"));
        return (DataFiles.HetRecInteractions(), HetRecReader.ReadUserTaggedArtists(tags), HetRecReader.ReadUserFriends(friends));
    }

    private static IEnumerable<IRecommenderModel> Models(Dictionary<string, string> s)
    {
        double D(string key, double fallback) => s.TryGetValue(key, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var als = new AlsModel();
        als = als with
        {
            Factors = (int)D("als.factors", als.Factors), Iterations = (int)D("als.iterations", als.Iterations),
            Alpha = D("als.alpha", als.Alpha), Regularization = D("als.reg", als.Regularization),
        };
        var rp3 = new Rp3BetaModel();
        rp3 = rp3 with
        {
            Alpha = D("rp3.alpha", rp3.Alpha), Beta = D("rp3.beta", rp3.Beta), Neighbours = (int)D("rp3.k", rp3.Neighbours),
            UseWeights = D("rp3.weights", 0) > 0,
        };
        var iknn = new ItemKnnModel();
        iknn = iknn with { Neighbours = (int)D("iknn.k", iknn.Neighbours), Shrink = D("iknn.shrink", iknn.Shrink) };
        var tags = new TagModel();
        tags = tags with
        {
            OwnTags = D("tags.own", tags.OwnTags), ProfileTags = (int)D("tags.profile", tags.ProfileTags),
            ItemNormExponent = D("tags.norm", tags.ItemNormExponent),
        };
        var similarity = new SimilarityOptions();
        var scoring = new RecommendationOptions();
        var userKnn = new[] { SimilarityMetric.Cosine, SimilarityMetric.Jaccard, SimilarityMetric.Pearson }
            .Select(m => (IRecommenderModel)new UserKnnModel(m, similarity, scoring)).ToList();
        var friends = new FriendModel();
        var without = s.TryGetValue("hybrid.without", out var w) ? w.Split('+') : [userKnn[0].Name, iknn.Name, tags.Name];
        // The hybrid's RP3beta keeps ModelCatalogue.HybridRp3Beta's K (100), as the worker's hybrid does; hybrid.rp3.k overrides it.
        var hybridRp3 = rp3 with { Neighbours = (int)D("hybrid.rp3.k", ModelCatalogue.HybridRp3Beta.Neighbours) };
        // Its iALS keeps ModelCatalogue.HybridAls's iterations and CG steps (8 × 2), as the worker's hybrid does.
        var hybridAls = als with
        {
            Iterations = (int)D("hybrid.als.iterations", ModelCatalogue.HybridAls.Iterations),
            CgSteps = (int)D("hybrid.als.cg", ModelCatalogue.HybridAls.CgSteps),
        };
        var components = new IRecommenderModel[] { hybridAls, hybridRp3, iknn, userKnn[0], tags, ModelCatalogue.HybridTags, friends }
            .Where(c => !without.Contains(c.Name)).ToArray();
        var hybrid = new HybridModel(components);
        hybrid = hybrid with
        {
            FullRanking = D("hybrid.full", 0) > 0,
            CandidatesPerComponent = (int)D("hybrid.r", hybrid.CandidatesPerComponent),
            PopularCandidates = (int)D("hybrid.p", hybrid.PopularCandidates),
        };
        return [.. userKnn, iknn, rp3, als, tags, friends, hybrid];
    }
}
