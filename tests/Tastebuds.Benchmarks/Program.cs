using BenchmarkDotNet.Running;
using Tastebuds.Benchmarks;

// `evaluate [variant...]` runs the HetRec offline evaluation (docs/evaluation.md);
// anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "evaluate")
{
    HetRecEvaluation.Run(args[1..]);
    return;
}

if (args.Length > 0 && args[0] == "stats")
{
    // One timed pass over each benchmark input, with the pair counts behind the timings.
    var bench = new NeighbourFinderBenchmarks();
    bench.Setup();
    Console.WriteLine($"HetRec: {bench.HetRec().Stats}");
    Console.WriteLine($"Generated: {bench.Generated5000Users().Stats}");
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(NeighbourFinderBenchmarks).Assembly).Run(args);
