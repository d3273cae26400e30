using Tastebuds.Worker.Recommendations;
using Tastebuds.Worker.Runs;
using Tastebuds.Worker.Similarity;

namespace Tastebuds.Worker.Telemetry;

/// <summary>
/// The documented values of the closed tags of the <c>Tastebuds</c> meter (docs/operations.md, "Metrics"): every
/// combination is on the first scrape at 0 (<see cref="TastebudsMetrics.Preregister"/>), so that <c>absent()</c> and
/// <c>increase()</c> see a series from the start rather than from the first event.
/// </summary>
public static class DocumentedTags
{
    private static string[] Names(params StepStatus[] statuses) => [.. statuses.Select(RunNames.ToSql)];

    public static IReadOnlyList<string> LastfmOutcomes { get; } =
        [TastebudsInstruments.Outcome.Success, TastebudsInstruments.Outcome.Error, TastebudsInstruments.Outcome.Transient, TastebudsInstruments.Outcome.Timeout];

    public static IReadOnlyList<string> UserStatuses { get; } = Names(StepStatus.Succeeded, StepStatus.Unchanged, StepStatus.Skipped, StepStatus.Failed);

    /// <summary>Verdicts of the incremental step for one new user.</summary>
    public static IReadOnlyList<string> NewUserStatuses { get; } = Names(StepStatus.Succeeded, StepStatus.Failed);

    public static IReadOnlyList<string> ItemKinds { get; } = ["track", "album", "artist"];

    /// <summary>The jobs counted by <c>tastebuds.job.runs</c> (single users are counted by <c>tastebuds.users.fetched</c>).</summary>
    public static IReadOnlyList<JobType> RunJobs { get; } = [JobType.FetchUsers, JobType.RecalculateSimilarities, JobType.GenerateRecommendations];

    /// <summary>A run's final status; <c>partial</c> only ends a fetch run.</summary>
    public static IReadOnlyList<StepStatus> RunStatuses { get; } = [StepStatus.Succeeded, StepStatus.Partial, StepStatus.Failed, StepStatus.Cancelled];

    public static IReadOnlyList<string> SimilarityMetrics { get; } = [MetricNames.Cosine, MetricNames.Jaccard, MetricNames.Pearson];

    /// <summary>
    /// The <c>metric</c> of <c>tastebuds.recommendations.written</c>: the similarity measures (user-kNN) and every model
    /// method of <c>Algorithm:Recommender</c>, so the configured one has a series at 0 before its first run.
    /// </summary>
    public static IReadOnlyList<string> RecommendationMetrics { get; } =
        [.. SimilarityMetrics, RecommenderNames.ItemKnn, RecommenderNames.Rp3Beta, RecommenderNames.Als, RecommenderNames.Hybrid];

    /// <summary>The health checks, as registered in <see cref="TelemetryRegistration"/>.</summary>
    public static IReadOnlyList<string> HealthChecks { get; } = ["heartbeat", "database", "migrations", "scheduler"];
}
