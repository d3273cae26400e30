using System.ComponentModel.DataAnnotations;
using Tastebuds.Worker.Configuration;

namespace Tastebuds.Worker.Lastfm;

/// <summary>How much of each user's profile is fetched (section <c>FetchLimits</c>). 0 skips that kind.</summary>
public sealed class FetchLimitsOptions : IValidatableObject
{
    public const string SectionName = "FetchLimits";

    [Range(0, 100_000, ErrorMessage = Rule.Range)]
    public int TracksPerUser { get; set; } = 100;

    [Range(0, 100_000, ErrorMessage = Rule.Range)]
    public int AlbumsPerUser { get; set; } = 50;

    [Range(0, 100_000, ErrorMessage = Rule.Range)]
    public int ArtistsPerUser { get; set; } = 30;

    [Range(0, 100_000, ErrorMessage = Rule.Range)]
    public int LovedTracksPerUser { get; set; } = 100;

    /// <summary>
    /// How many of the user's top tags get their personally tagged items fetched. 0 by default: no production
    /// algorithm reads personal tags yet (the tag scorer of the offline evaluation reads HetRec's), so they would cost
    /// 1 + 3 × this requests a user every Fetching:TagsRefreshAfter for nothing. Set 5 once the hybrid runs in production.
    /// </summary>
    [Range(0, 1_000, ErrorMessage = Rule.Range)]
    public int TagsPerUser { get; set; }

    [Range(0, 10_000, ErrorMessage = Rule.Range)]
    public int TaggedItemsPerTag { get; set; } = 50;

    /// <summary>Friends fetched per user when <c>Lastfm:DiscoverFriends</c> is on; they join lastfm_users as active users.</summary>
    [Range(0, 10_000, ErrorMessage = Rule.Range)]
    public int FriendsPerUser { get; set; } = 50;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (TagsPerUser != 0 && TaggedItemsPerTag <= 0)
        {
            yield return new ValidationResult(
                FormattableString.Invariant(
                    $"must be greater than 0 when {nameof(TagsPerUser)} is {TagsPerUser} (set TagsPerUser to 0 to skip tags)"),
                [nameof(TaggedItemsPerTag)]);
        }
    }
}
