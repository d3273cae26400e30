using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Tastebuds.Core.Evaluation;
using Tastebuds.Worker.Database;
using Tastebuds.Worker.Recommendations;
using Tastebuds.Worker.Similarity;

namespace Tastebuds.Worker.Cli;

/// <summary>
/// <c>evaluate [--source db|sandbox|hetrec] [--path DIR] [--users N] [--seed S] [--holdout F] [--k K] [--markdown]</c>:
/// offline evaluation with the configured Algorithm settings. Only <c>db</c> needs (and only reads) a database.
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

        var command = new Command("evaluate",
            "Offline evaluation with the configured Algorithm settings: hide a share of each user's items, recommend from the rest, and print "
            + "cosine, jaccard, pearson and most-popular side by side (precision, recall, NDCG, MAP at k, hit rate, coverage, run time). Writes nothing.")
        {
            source, path, users, seed, holdout, k, markdown,
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
            var report = await Task.Run(() => EvaluationRunner.Run(data, settings, parse.GetValue(holdout), cutOff, parse.GetValue(seed), ct), ct);
            Print(data, report, cutOff, parse.GetValue(markdown));
            return ExitCodes.Ok;
        }, prepareDatabase: false));
        return command;
    }

    private static async Task<EvaluationData> FromDatabaseAsync(IServiceProvider services, CancellationToken ct)
    {
        await services.GetRequiredService<DatabaseEndpoint>().EnsureAsync(ct);
        return await EvaluationSources.FromDatabaseAsync(services.GetRequiredService<NpgsqlDataSource>(), ct);
    }

    private static void Print(EvaluationData data, EvaluationReport report, int k, bool markdown)
    {
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"Source: {TerminalText.Escape(data.Description)}; items: {data.Kind.ToString().ToLowerInvariant()}s; {data.Rows.Count:N0} interaction rows"));
        if (markdown)
        {
            Console.Write(report.ToMarkdown(k));
            return;
        }

        Console.WriteLine(string.Create(c,
            $"Users {report.Users:N0}, evaluated {report.EvaluatedUsers:N0}, hidden items {report.TestItems:N0}, train items {report.TrainItems:N0}, neighbour pass {report.NeighbourElapsed.TotalMilliseconds:0} ms"));
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
    }

    private static string F(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);
}
