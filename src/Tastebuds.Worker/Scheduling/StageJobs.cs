using Quartz;
using Tastebuds.Worker.Runs;
using JobType = Tastebuds.Worker.Runs.JobType;

namespace Tastebuds.Worker.Scheduling;

/// <summary>
/// The Quartz job of each pipeline stage, and how one stage starts the next at once (besides the next one's own cron
/// schedule). Which stage comes next, and whether, is the <see cref="Pipeline"/>'s rule; this only maps stages to jobs.
/// </summary>
internal static class StageJobs
{
    public static readonly JobKey RecalculateSimilarities = new("recalculate-similarities", "tastebuds");

    public static readonly JobKey GenerateRecommendations = new("generate-recommendations", "tastebuds");

    public static JobKey KeyOf(JobType stage) => stage switch
    {
        JobType.FetchUsers => FetchUsersJob.Key,
        JobType.RecalculateSimilarities => RecalculateSimilarities,
        JobType.GenerateRecommendations => GenerateRecommendations,
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, "not a pipeline stage"),
    };

    public static JobType StageOf(JobKey key) =>
        key.Equals(RecalculateSimilarities) ? JobType.RecalculateSimilarities
        : key.Equals(GenerateRecommendations) ? JobType.GenerateRecommendations
        : throw new ArgumentOutOfRangeException(nameof(key), key, "not a computing stage's job");

    /// <summary>Triggers <paramref name="next"/>'s job now; nothing when there is no next stage or this scheduler lacks its job.</summary>
    public static async Task TriggerAsync(IScheduler scheduler, JobType? next, CancellationToken ct)
    {
        if (next is { } stage && await scheduler.Exists(KeyOf(stage), ct))
        {
            await scheduler.TriggerJob(KeyOf(stage), ct);
        }
    }
}
