namespace Tastebuds.Worker.Fetching;

/// <summary>
/// What one user's fetch will cost: a full fetch for a stated reason, or a change check (user.getInfo, then one page of
/// user.getLovedTracks with limit 1) against what the last full fetch stored, which turns into a full fetch only when
/// something changed. Made by <see cref="UserFetchState.Plan"/>.
/// </summary>
public sealed record FetchPlan
{
    /// <summary>Why the user is fetched in full whatever the check would say; null = check first.</summary>
    public string? FullReason { get; init; }

    /// <summary>Fetch personal tags from Last.fm (1 + 3 × <c>FetchLimits:TagsPerUser</c> requests) rather than apply the stored ones.</summary>
    public bool FetchTags { get; init; }

    /// <summary>The total play count stored by the last full fetch (bounded as stored).</summary>
    public long StoredPlaycount { get; init; }

    /// <summary>The loved-tracks total the last full fetch saw; null = unknown, so the probe cannot confirm and the fetch is full.</summary>
    public int? StoredLovedTotal { get; init; }

    public static FetchPlan Full(string reason, bool fetchTags) => new() { FullReason = reason, FetchTags = fetchTags };
}

/// <summary>The reasons a user is fetched in full, as the <c>fetch_reason</c> of its <c>fetch_user</c> row's details.</summary>
public static class FetchReasons
{
    public const string NeverFetched = "never_fetched";
    public const string LastFailed = "last_failed";
    public const string RefreshDue = "refresh_due";
    public const string TagsDue = "tags_due";
    public const string PlaycountChanged = "playcount_changed";
    public const string LovedChanged = "loved_changed";
    public const string Unchanged = "unchanged";
}
