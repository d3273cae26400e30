using Microsoft.Extensions.Options;
using Tastebuds.Worker.Lastfm;

namespace Tastebuds.Worker.Fetching;

/// <summary>
/// Fetches one user's public data: profile, top tracks / albums / artists for the period, loved tracks, top tags
/// and, for each of those tags, the user's personally tagged tracks, albums and artists.
/// Requests per user: 6 + 3 × FetchLimits:TagsPerUser (plus extra pages past 1000 items), plus one page of
/// friends with <c>Lastfm:DiscoverFriends</c>.
/// </summary>
public sealed class UserFetcher(LastfmClient client, IOptions<LastfmOptions> lastfm, IOptions<FetchLimitsOptions> limits)
{
    private static readonly TaggingType[] TaggingTypes = [TaggingType.Track, TaggingType.Album, TaggingType.Artist];

    public async Task<UserSnapshot> FetchAsync(string username, CancellationToken ct)
    {
        var period = lastfm.Value.Period;
        var limit = limits.Value;
        var profile = await client.GetUserInfoAsync(username, ct);
        var tracks = await client.GetTopTracksAsync(username, period, limit.TracksPerUser, ct);
        var albums = await client.GetTopAlbumsAsync(username, period, limit.AlbumsPerUser, ct);
        var artists = await client.GetTopArtistsAsync(username, period, limit.ArtistsPerUser, ct);
        var loved = await client.GetLovedTracksAsync(username, limit.LovedTracksPerUser, ct);

        var tags = new List<PersonalTag>();
        if (limit.TagsPerUser > 0)
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

        var friends = lastfm.Value.DiscoverFriends && limit.FriendsPerUser > 0
            ? (await client.GetFriendsAsync(username, limit.FriendsPerUser, ct)).Select(f => f.Name).ToList()
            : [];
        return new UserSnapshot(profile, period, tracks, albums, artists, loved, tags) { Friends = friends };
    }
}
