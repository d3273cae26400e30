using Microsoft.Extensions.Options;
using Tastebuds.Worker.Lastfm;

namespace Tastebuds.Worker.Fetching;

/// <summary>
/// Fetches one user's public data as a <see cref="FetchPlan"/> says. Every fetch starts with <c>user.getInfo</c>. A
/// change check then compares the profile's total play count with the stored one, and, when equal, the loved-tracks
/// total from one page of <c>user.getLovedTracks</c> with limit 1: both equal = unchanged, 2 requests. Otherwise (or
/// when the plan forces it) the rest follows: top tracks / albums / artists for the period, loved tracks, and, when
/// the plan says so, top tags and each tag's personally tagged tracks, albums and artists.
/// Requests: unchanged 2; full 5 (+1 when a check found the play count equal but the loves changed) + 1 + 3 ×
/// FetchLimits:TagsPerUser when tags are fetched (plus extra pages past 1000 items), plus one page of friends with
/// <c>Lastfm:DiscoverFriends</c>.
/// </summary>
public sealed class UserFetcher(LastfmClient client, IOptions<LastfmOptions> lastfm, IOptions<FetchLimitsOptions> limits)
{
    private static readonly TaggingType[] TaggingTypes = [TaggingType.Track, TaggingType.Album, TaggingType.Artist];

    /// <summary>A full fetch of everything, personal tags included when <c>FetchLimits:TagsPerUser</c> &gt; 0.</summary>
    public async Task<UserSnapshot> FetchAsync(string username, CancellationToken ct) =>
        (await FetchAsync(username, FetchPlan.Full(FetchReasons.NeverFetched, limits.Value.TagsPerUser > 0), ct)).Snapshot!;

    public async Task<UserFetchResult> FetchAsync(string username, FetchPlan plan, CancellationToken ct)
    {
        var limit = limits.Value;
        var profile = await client.GetUserInfoAsync(username, ct);
        var reason = plan.FullReason;
        if (reason is null && MergedSnapshot.StoredTotal(profile.Playcount) != plan.StoredPlaycount)
        {
            reason = FetchReasons.PlaycountChanged;
        }
        else if (reason is null && limit.LovedTracksPerUser > 0)
        {
            var probe = await client.GetLovedTracksWithTotalAsync(username, 1, ct);
            reason = probe.Total == plan.StoredLovedTotal ? null : FetchReasons.LovedChanged;
        }

        if (reason is null)
        {
            return new UserFetchResult(profile, null);
        }

        var period = lastfm.Value.Period;
        var tracks = await client.GetTopTracksAsync(username, period, limit.TracksPerUser, ct);
        var albums = await client.GetTopAlbumsAsync(username, period, limit.AlbumsPerUser, ct);
        var artists = await client.GetTopArtistsAsync(username, period, limit.ArtistsPerUser, ct);
        var loved = limit.LovedTracksPerUser > 0 ? await client.GetLovedTracksWithTotalAsync(username, limit.LovedTracksPerUser, ct) : null;

        var tags = new List<PersonalTag>();
        var fetchTags = plan.FetchTags && limit.TagsPerUser > 0;
        if (fetchTags)
        {
            foreach (var tag in await client.GetTopTagsAsync(username, limit.TagsPerUser, ct))
            {
                foreach (var type in TaggingTypes)
                {
                    var items = await client.GetPersonalTagsAsync(username, tag.Name, type, limit.TaggedItemsPerTag, ct);
                    tags.AddRange(items.Select(item => new PersonalTag(tag.Name, item)));
                }
            }
        }

        var fetchFriends = lastfm.Value.DiscoverFriends && limit.FriendsPerUser > 0;
        var friends = fetchFriends ? (await client.GetFriendsAsync(username, limit.FriendsPerUser, ct)).Select(f => f.Name).ToList() : [];
        var snapshot = new UserSnapshot(profile, period, tracks, albums, artists, loved?.Items ?? [], tags)
        {
            Friends = friends,
            FriendsFetched = fetchFriends,
            LovedTracksTotal = loved?.Total,
            TagsFetched = fetchTags,
            Reason = reason,
        };
        return new UserFetchResult(profile, snapshot);
    }
}

/// <summary>What a fetch brought back: the profile always; the snapshot only when the user was fetched in full (null = unchanged).</summary>
public sealed record UserFetchResult(LastfmUserProfile Profile, UserSnapshot? Snapshot);
