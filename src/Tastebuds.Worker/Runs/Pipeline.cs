using Tastebuds.Worker.Fetching;
using Tastebuds.Worker.Hosting;
using Tastebuds.Worker.Recommendations;
using Tastebuds.Worker.Similarity;

namespace Tastebuds.Worker.Runs;

/// <summary>
/// The chain fetch → similarities → recommendations, and the one place that decides how it runs:
/// <list type="bullet">
/// <item>every stage runs with its caller's token linked to the end of the shutdown grace period: after SIGTERM the
/// stage in flight may finish within <c>Shutdown:GracePeriod</c>, then it is cancelled and rolls back;</item>
/// <item>the next stage starts only when the one before gave it something new and the host is not stopping: after a
/// fetch that stored at least one user, after every similarity run; recommendations end the chain.</item>
/// </list>
/// The daemon runs each stage as its own Quartz job that triggers the next (Scheduling); <c>run-once</c> and
/// <c>demo</c> run the whole chain with <see cref="RunAsync"/>; the single-stage verbs call the stage methods.
/// </summary>
public sealed class Pipeline(
    FetchRunner fetcher, SimilarityRecalculator similarities, RecommendationGenerator recommendations, ShutdownSignal shutdown)
{
    /// <summary>One fetch run (<see cref="FetchRunner.RunAsync(IReadOnlyList{string}?, IProgress{FetchProgress}?, bool, CancellationToken, DateTimeOffset?)"/>).</summary>
    public async Task<FetchRunResult> FetchAsync(IReadOnlyList<string>? users, IProgress<FetchProgress>? progress, bool waitForOtherRun,
        CancellationToken ct, DateTimeOffset? scheduledFireTime = null)
    {
        using var linked = WithGrace(ct);
        return await fetcher.RunAsync(users, progress, waitForOtherRun, linked.Token, scheduledFireTime);
    }

    public async Task<SimilarityResult> RecalculateAsync(CancellationToken ct)
    {
        using var linked = WithGrace(ct);
        return await similarities.RecalculateAsync(linked.Token);
    }

    public async Task<RecommendationResult> GenerateAsync(CancellationToken ct)
    {
        using var linked = WithGrace(ct);
        return await recommendations.GenerateAsync(linked.Token);
    }

    /// <summary>
    /// The stage to run after this fetch, or null: only a fetch that stored or confirmed someone (a user found unchanged
    /// counts: the later stages may not have run on that data yet) gives the later stages something to compute.
    /// </summary>
    public JobType? NextAfter(FetchRunResult fetch) => fetch.Succeeded + fetch.Unchanged > 0 ? Next(JobType.FetchUsers) : null;

    /// <summary>Runs a computing stage (similarities or recommendations) on its own; returns the stage to run next, or null.</summary>
    public async Task<JobType?> RunStageAsync(JobType stage, CancellationToken ct)
    {
        switch (stage)
        {
            case JobType.RecalculateSimilarities:
                await RecalculateAsync(ct);
                return Next(stage);
            case JobType.GenerateRecommendations:
                await GenerateAsync(ct);
                return Next(stage);
            default:
                throw new ArgumentOutOfRangeException(nameof(stage), stage, "not a computing stage");
        }
    }

    /// <summary>
    /// The whole chain once, in the foreground: the fetch (its progress shown by <paramref name="display"/>), then the
    /// later stages as the rule allows; one summary line per stage, and why the chain stopped, to <paramref name="report"/>.
    /// </summary>
    public async Task<PipelineRun> RunAsync(FetchDisplay display, Action<string> report, CancellationToken ct)
    {
        var fetch = await display(progress => FetchAsync(null, progress, waitForOtherRun: false, ct));
        StageSummary.Of(fetch).ToList().ForEach(report);
        if (NextAfter(fetch) is null)
        {
            report(StageSummary.Stopped(fetch));
            return new PipelineRun(fetch, null, null);
        }

        var similarity = await RecalculateAsync(ct);
        report(StageSummary.Of(similarity));
        if (Next(JobType.RecalculateSimilarities) is null)
        {
            return new PipelineRun(fetch, similarity, null);
        }

        var recommendation = await GenerateAsync(ct);
        report(StageSummary.Of(recommendation));
        return new PipelineRun(fetch, similarity, recommendation);
    }

    private JobType? Next(JobType stage) => shutdown.Stopping.IsCancellationRequested ? null : stage switch
    {
        JobType.FetchUsers => JobType.RecalculateSimilarities,
        JobType.RecalculateSimilarities => JobType.GenerateRecommendations,
        _ => null,
    };

    private CancellationTokenSource WithGrace(CancellationToken ct) => CancellationTokenSource.CreateLinkedTokenSource(ct, shutdown.GraceExpired);
}
