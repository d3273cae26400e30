using Tastebuds.Worker.Configuration;

namespace Tastebuds.Worker.Fetching;

/// <summary>How often a user is fetched in full (section <c>Fetching</c>); between full fetches an unchanged user costs 2 requests.</summary>
public sealed class FetchingOptions
{
    public const string SectionName = "Fetching";

    /// <summary>
    /// A user whose last full fetch is older than this is fetched in full even when nothing seems to have changed:
    /// the bound on what change detection can miss (docs/reliability.md). 00:00:00 = every fetch is a full one.
    /// </summary>
    [TimeSpanRange("00:00:00", "3650.00:00:00")]
    public TimeSpan FullRefreshAfter { get; set; } = TimeSpan.FromDays(28);

    /// <summary>
    /// Personal tags (1 + 3 × <c>FetchLimits:TagsPerUser</c> requests) are fetched again only when older than this;
    /// full fetches in between apply the stored ones. A user whose tags are due is fetched in full.
    /// </summary>
    [TimeSpanRange("00:00:00", "3650.00:00:00")]
    public TimeSpan TagsRefreshAfter { get; set; } = TimeSpan.FromDays(28);
}
