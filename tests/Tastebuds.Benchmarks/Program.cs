using BenchmarkDotNet.Running;
using Tastebuds.Benchmarks;

// `evaluate [variant...]` runs the HetRec offline evaluation (docs/evaluation.md);
// anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "evaluate")
{
    HetRecEvaluation.Run(args[1..]);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(NeighbourFinderBenchmarks).Assembly).Run(args);
