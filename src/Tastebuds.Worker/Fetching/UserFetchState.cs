namespace Tastebuds.Worker.Fetching;

/// <summary>
/// What the database knows of a user before their fetch (<see cref="FetchStateStore.LoadAsync"/>): what the last full
/// fetch stored, whether the refresh bounds have passed (computed by the database's clock, which writes the times),
/// and whether the user's last verdict was a failure.
/// </summary>
public sealed record UserFetchState(
    long UserId, long TotalPlaycount, int? LovedTracksTotal, bool NeverFullyFetched, bool FullFetchDue, bool TagsDue, bool LastFailed)
{
    /// <summary>The plan for this user: a full fetch when it is forced, a change check otherwise.</summary>
    public static FetchPlan Plan(UserFetchState? state, int tagsPerUser)
    {
        var tagsDue = tagsPerUser > 0 && (state is null || state.TagsDue);
        return state switch
        {
            null or { NeverFullyFetched: true } => FetchPlan.Full(FetchReasons.NeverFetched, tagsPerUser > 0),
            { LastFailed: true } => FetchPlan.Full(FetchReasons.LastFailed, tagsDue),
            { FullFetchDue: true } => FetchPlan.Full(FetchReasons.RefreshDue, tagsDue),
            _ when tagsDue => FetchPlan.Full(FetchReasons.TagsDue, fetchTags: true),
            _ => new FetchPlan { StoredPlaycount = state.TotalPlaycount, StoredLovedTotal = state.LovedTracksTotal },
        };
    }
}
