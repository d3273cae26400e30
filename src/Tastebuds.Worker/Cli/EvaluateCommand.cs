using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Tastebuds.Core.Evaluation;
using Tastebuds.Core.Models;
using Tastebuds.Worker.Database;
using Tastebuds.Worker.Recommendations;
using Tastebuds.Worker.Similarity;

namespace Tastebuds.Worker.Cli;

/// <summary>
/// <c>evaluate [--source db|sandbox|hetrec] [--path DIR] [--users N] [--seed S] [--holdout F] [--k K] [--validation] [--markdown]</c>:
/// offline evaluation of every method with the configured Algorithm settings. Only <c>db</c> needs (and only reads) a database.
/// </summary>
internal static class EvaluateCommand
{
    public const string DefaultHetRecPath = "../shared/data/hetrec2011-lastfm-2k";

    /// <summary>
    /// Largest generated world: HetRec's 1,892 users and then some. The neighbour pass grows with the square of the
    /// users: 5,000 took 13 s and 0.9 GB on 2 cores, 20,000 took 133 s and 3.6 GB.
    /// </summary>
    public const int MaxUsers = 5_000;

    public static Command Create()
    {
        var source = new Option<string>("--source")
        {
            Description = "db: interactions of the configured database (read only); sandbox: a generated world; hetrec: DIR/user_artists.dat (artists as items).",
            DefaultValueFactory = _ => EvaluationSources.Sandbox,
        };
        source.AcceptOnlyFromAmong(EvaluationSources.All);
        var path = new Option<string>("--path") { Description = "HetRec folder (hetrec source).", DefaultValueFactory = _ => DefaultHetRecPath };
        var users = new Option<int>("--users")
        {
            Description = $"Users of the generated world (sandbox source), 1 to {MaxUsers}.",
            DefaultValueFactory = _ => 500,
        }.InRange(1, MaxUsers);
        var seed = new Option<int>("--seed") { Description = "Seed of the generated world and of the holdout split.", DefaultValueFactory = _ => 42 };
        var holdout = new Option<double>("--holdout")
        {
            Description = "Share of each user's items hidden as the test set, between 0 and 1 (exclusive).",
            DefaultValueFactory = _ => 0.2,
        }.Between(0, 1);
        var k = new Option<int>("--k") { Description = $"Cut-off of the ranking metrics, 1 to {OptionRules.MaxLimit}.", DefaultValueFactory = _ => 10 }
            .InRange(1, OptionRules.MaxLimit);
        var markdown = new Option<bool>("--markdown") { Description = "Print the result as a Markdown table (for docs/evaluation.md)." };
        var validation = new Option<bool>("--validation")
        {
            Description = "Score on a validation split carved from train (the same holdout rule, a derived seed) instead of the test split: the figures to tune settings by.",
        };

        var command = new Command("evaluate",
            "Offline evaluation with the configured Algorithm settings: hide a share of each user's items, recommend from the rest, and print "
            + "user-kNN (cosine, jaccard, pearson), item-knn, rp3beta, als, tags, friends, the hybrid and most-popular side by side on one split "
            + "(precision, recall, NDCG, MAP at k, hit rate, coverage, run time). Writes nothing.")
        {
            source, path, users, seed, holdout, k, validation, markdown,
        };
        command.SetAction((parse, _) => Verb.RunAsync(async (host, ct) =>
        {
            var settings = host.Services.GetRequiredService<IOptions<AlgorithmOptions>>().Value;
            var hetRec = Path.GetFullPath(parse.GetValue(path)!);
            if (parse.GetValue(source) == EvaluationSources.HetRec && !File.Exists(Path.Combine(hetRec, "user_artists.dat")))
            {
                Console.Error.WriteLine(
                    $"--path {TerminalText.Escape(hetRec)} has no user_artists.dat: point it at the HetRec 2011 Last.fm 2K folder (hetrec2011-lastfm-2k).");
                return ExitCodes.ConfigurationError;
            }

            var data = parse.GetValue(source) switch
            {
                EvaluationSources.Database => await FromDatabaseAsync(host.Services, ct),
                EvaluationSources.HetRec => EvaluationSources.FromHetRec(hetRec),
                _ => EvaluationSources.FromSandbox(parse.GetValue(users), parse.GetValue(seed)),
            };
            var cutOff = parse.GetValue(k);
            var result = await Task.Run(() => EvaluationRunner.RunModels(data, settings, parse.GetValue(holdout), cutOff, parse.GetValue(seed),
                parse.GetValue(validation), ct), ct);
            Print(data, result, cutOff, parse.GetValue(markdown), parse.GetValue(validation));
            return ExitCodes.Ok;
        }, prepareDatabase: false));
        return command;
    }

    private static async Task<EvaluationData> FromDatabaseAsync(IServiceProvider services, CancellationToken ct)
    {
        await services.GetRequiredService<DatabaseEndpoint>().EnsureAsync(ct);
        return await EvaluationSources.FromDatabaseAsync(services.GetRequiredService<NpgsqlDataSource>(), ct);
    }

    private static void Print(EvaluationData data, ModelEvaluationResult result, int k, bool markdown, bool validation)
    {
        var c = CultureInfo.InvariantCulture;
        var report = result.Report;
        var sides = string.Create(c, $"{data.Tags?.Count ?? 0:N0} tag rows; {data.Friends?.Count ?? 0:N0} friend rows");
        Console.WriteLine(string.Create(c,
            $"Source: {TerminalText.Escape(data.Description)}; items: {data.Kind.ToString().ToLowerInvariant()}s; {data.Rows.Count:N0} interaction rows; {sides}; scored on the {(validation ? "validation" : "test")} split"));
        if (markdown)
        {
            Console.Write(report.ToMarkdown(k));
            PrintHybrid(result);
            return;
        }

        Console.WriteLine(string.Create(c,
            $"Users {report.Users:N0}, evaluated {report.EvaluatedUsers:N0}, hidden items {report.TestItems:N0}, train items {report.TrainItems:N0}"));
        var table = OutputTable.Create().Column("method").Column($"P@{k}", right: true).Column($"R@{k}", right: true)
            .Column($"NDCG@{k}", right: true).Column($"MAP@{k}", right: true).Column("hit rate", right: true)
            .Column("coverage", right: true).Column("time", right: true);
        foreach (var m in report.Methods)
        {
            table.Row(m.Method, F(m.Precision), F(m.Recall), F(m.Ndcg), F(m.Map), F(m.HitRate), F(m.Coverage),
                string.Create(c, $"{m.Elapsed.TotalMilliseconds:0} ms"));
        }

        OutputTable.Print(table);
        Console.WriteLine(string.Create(c, $"Best NDCG@{k} / most-popular NDCG@{k} = {report.BestNdcgOverBaseline:0.00}"));
        PrintHybrid(result);
    }

    private static void PrintHybrid(ModelEvaluationResult result)
    {
        foreach (var hybrid in result.Fitted.OfType<HybridTrained>())
        {
            var c = CultureInfo.InvariantCulture;
            var t = hybrid.Tuning;
            var weights = string.Join(", ", t.Components.Zip(t.Weights, (n, w) => string.Create(c, $"{n} {w:0.##}")));
            Console.WriteLine(string.Create(c,
                $"Hybrid weights (tuned on a validation split of train, {t.ValidationUsers:N0} users, {t.Trials.Count} trials, validation NDCG {t.ValidationNdcg:0.0000}): {weights}"));
        }
    }

    private static string F(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);
}
