using BenchmarkDotNet.Running;
using Tastebuds.Benchmarks;

// The measurement verbs (docs/benchmarks.md, docs/evaluation.md say which command gives which figure); `stats` prints the
// neighbour passes' pair counts; anything else goes to BenchmarkDotNet.
var verbs = new Dictionary<string, Func<string[], Task>>
{
    ["evaluate"] = verbArgs => { HetRecEvaluation.Run(verbArgs); return Task.CompletedTask; },
    ["models"] = verbArgs => { ModelComparison.Run(verbArgs); return Task.CompletedTask; },
    ["als-scale"] = verbArgs => { AlsScaleMeasurement.Run(verbArgs); return Task.CompletedTask; },
    ["models-scale"] = verbArgs => { AlsScaleHybrid.Run(verbArgs); return Task.CompletedTask; },
    ["pipeline"] = PipelineMeasurement.RunAsync,
    ["budget"] = BudgetMeasurement.RunAsync,
    ["newusers"] = NewUserLatency.RunAsync,
    ["scale"] = ScaleMeasurement.RunAsync,
    ["load"] = LoadMeasurement.RunAsync,
    ["read"] = ReadLatency.RunAsync,
    ["prune"] = verbArgs => { PruneMeasurement.Run(verbArgs); return Task.CompletedTask; },
    ["store"] = StoreMeasurement.RunAsync,
};

if (args.Length > 0 && verbs.TryGetValue(args[0], out var verb))
{
    await verb(args[1..]);
    return;
}

if (args.Length > 0 && args[0] == "stats")
{
    // One timed pass over each benchmark input, with the pair counts behind the timings.
    var bench = new NeighbourFinderBenchmarks();
    bench.Setup();
    Console.WriteLine($"HetRec: {bench.HetRec().Stats}");
    Console.WriteLine($"Generated: {bench.Generated5000Users().Stats}");
    var hetRec = Tastebuds.Core.InteractionMatrix.Build(DataFiles.HetRecInteractions());
    foreach (var threshold in new[] { 0.1, 0.05 })
    {
        var set = Tastebuds.Core.Similarity.NeighbourFinder.Compute(hetRec,
            new Tastebuds.Core.Similarity.SimilarityOptions { SimilarityThreshold = threshold }, CancellationToken.None);
        foreach (var metric in Enum.GetValues<Tastebuds.Core.SimilarityMetric>())
        {
            var lonely = Enumerable.Range(0, hetRec.UserCount).Count(u => set.Of(u, metric).Count == 0);
            Console.WriteLine($"HetRec threshold {threshold}: {metric} users without neighbours {lonely} of {hetRec.UserCount}");
        }
    }
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(NeighbourFinderBenchmarks).Assembly).Run(args);
