namespace Tastebuds.Worker.Runs;

/// <summary>What a <c>data_fetch_logs</c> row records; stored and tagged as <see cref="RunNames.ToSql(JobType)"/> spells it.</summary>
public enum JobType
{
    /// <summary>A fetch run (all users, or the ones asked for).</summary>
    FetchUsers,

    /// <summary>One user within a fetch run.</summary>
    FetchUser,

    RecalculateSimilarities,

    GenerateRecommendations,

    /// <summary>One new user's neighbours and recommendations, computed incrementally between full runs.</summary>
    ServeNewUser,
}
