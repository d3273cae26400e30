namespace Tastebuds.Worker.Runs;

/// <summary>
/// The one place where job types and statuses meet their spelling: the values the schema's CHECK constraints on
/// <c>data_fetch_logs</c> accept, which are also the <c>job</c> and <c>status</c> metric tag values that dashboards
/// and alerts read. Changing one is a migration and a dashboard change, not a refactoring.
/// </summary>
public static class RunNames
{
    public static string ToSql(JobType job) => job switch
    {
        JobType.FetchUsers => "fetch_users",
        JobType.FetchUser => "fetch_user",
        JobType.RecalculateSimilarities => "recalculate_similarities",
        JobType.GenerateRecommendations => "generate_recommendations",
        JobType.ServeNewUser => "serve_new_user",
        _ => throw new ArgumentOutOfRangeException(nameof(job), job, "not a job type"),
    };

    public static string ToSql(StepStatus status) => status switch
    {
        StepStatus.Running => "running",
        StepStatus.Succeeded => "succeeded",
        StepStatus.Unchanged => "unchanged",
        StepStatus.Partial => "partial",
        StepStatus.Failed => "failed",
        StepStatus.Skipped => "skipped",
        StepStatus.Cancelled => "cancelled",
        StepStatus.Abandoned => "abandoned",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "not a step status"),
    };

    /// <summary>The job type a stored <c>job_type</c> names; false for a value this build does not know (a newer schema).</summary>
    public static bool TryParse(string? name, out JobType job)
    {
        foreach (var candidate in Enum.GetValues<JobType>())
        {
            if (string.Equals(ToSql(candidate), name, StringComparison.Ordinal))
            {
                job = candidate;
                return true;
            }
        }

        job = default;
        return false;
    }
}
