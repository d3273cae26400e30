using BenchmarkDotNet.Running;
using Tastebuds.Benchmarks;

// `evaluate [variant...]` runs the HetRec offline evaluation (docs/evaluation.md);
// anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "evaluate")
{
    HetRecEvaluation.Run(args[1..]);
    return;
}

if (args.Length > 0 && args[0] == "models")
{
    ModelComparison.Run(args[1..]);
    return;
}

if (args.Length > 0 && args[0] == "als-scale")
{
    AlsScaleMeasurement.Run(args[1..]);
    return;
}

if (args.Length > 0 && args[0] == "models-scale")
{
    AlsScaleHybrid.Run(args[1..]);
    return;
}

if (args.Length > 0 && args[0] == "pipeline")
{
    await PipelineMeasurement.RunAsync(args[1..]);
    return;
}

if (args.Length > 0 && args[0] == "budget")
{
    await BudgetMeasurement.RunAsync(args[1..]);
    return;
}

if (args.Length > 0 && args[0] == "newusers")
{
    await NewUserLatency.RunAsync(args[1..]);
    return;
}

if (args.Length > 0 && args[0] == "scale")
{
    await ScaleMeasurement.RunAsync(args[1..]);
    return;
}

if (args.Length > 0 && args[0] == "load")
{
    await LoadMeasurement.RunAsync(args[1..]);
    return;
}

if (args.Length > 0 && args[0] == "read")
{
    await ReadLatency.RunAsync(args[1..]);
    return;
}

if (args.Length > 0 && args[0] == "prune")
{
    PruneMeasurement.Run(args[1..]);
    return;
}

if (args.Length > 0 && args[0] == "store")
{
    await StoreMeasurement.RunAsync(args[1..]);
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
