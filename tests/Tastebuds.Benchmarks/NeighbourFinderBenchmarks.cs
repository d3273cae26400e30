using BenchmarkDotNet.Attributes;
using Tastebuds.Core;
using Tastebuds.Core.Similarity;

namespace Tastebuds.Benchmarks;

[MemoryDiagnoser]
public class NeighbourFinderBenchmarks
{
    private InteractionMatrix _hetRec = null!;
    private InteractionMatrix _generated = null!;

    [GlobalSetup]
    public void Setup()
    {
        _hetRec = InteractionMatrix.Build(DataFiles.HetRecInteractions());
        _generated = InteractionMatrix.Build(GeneratedWorld.Create(5_000, seed: 7));
    }

    [Benchmark]
    public NeighbourSet HetRec() => NeighbourFinder.Compute(_hetRec, new SimilarityOptions(), CancellationToken.None);

    [Benchmark]
    public NeighbourSet Generated5000Users() => NeighbourFinder.Compute(_generated, new SimilarityOptions(), CancellationToken.None);
}
