using Tastebuds.Worker.Lastfm;

namespace Tastebuds.Worker.Fetching;

/// <summary>Everything fetched for one user in one run, stored whole by <see cref="SnapshotStore"/> or not at all.</summary>
public sealed record UserSnapshot(
    LastfmUserProfile Profile,
    string Period,
    IReadOnlyList<TopTrack> TopTracks,
    IReadOnlyList<TopAlbum> TopAlbums,
    IReadOnlyList<TopArtist> TopArtists,
    IReadOnlyList<LovedTrack> LovedTracks,
    IReadOnlyList<PersonalTag> Tags)
{
    /// <summary>
    /// Friends' usernames, fetched only with <c>Lastfm:DiscoverFriends</c>: stored as the user's friend edges
    /// (<c>user_friends</c>) and as users to fetch next time.
    /// </summary>
    public IReadOnlyList<string> Friends { get; init; } = [];

    /// <summary>
    /// True when <see cref="Friends"/> came from user.getFriends in this fetch (even empty: the user's stored edges are
    /// replaced); false when friends were not asked for (the stored edges are kept).
    /// </summary>
    public bool FriendsFetched { get; init; }

    /// <summary>The user's loved tracks in all, as the first page of user.getLovedTracks claimed; null when loves were not fetched.</summary>
    public int? LovedTracksTotal { get; init; }

    /// <summary>
    /// True when <see cref="Tags"/> came from Last.fm in this fetch (stored as the user's personal tags); false when they
    /// are the stored ones, applied again (or none, with <c>FetchLimits:TagsPerUser</c> 0).
    /// </summary>
    public bool TagsFetched { get; init; }

    /// <summary>Why the user was fetched in full (<see cref="FetchReasons"/>).</summary>
    public string Reason { get; init; } = FetchReasons.NeverFetched;
}

/// <summary>One of the user's own tags on one of their items.</summary>
public sealed record PersonalTag(string Tag, TaggedItem Item);
