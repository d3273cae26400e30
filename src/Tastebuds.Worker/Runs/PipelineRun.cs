using Tastebuds.Worker.Fetching;
using Tastebuds.Worker.Recommendations;
using Tastebuds.Worker.Similarity;

namespace Tastebuds.Worker.Runs;

/// <summary>What one <see cref="Pipeline.RunAsync"/> did; a stage that did not run (the chain stopped before it) is null.</summary>
public sealed record PipelineRun(FetchRunResult Fetch, SimilarityResult? Similarities, RecommendationResult? Recommendations);
