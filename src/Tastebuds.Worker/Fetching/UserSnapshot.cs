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
    /// <summary>Friends' usernames, fetched only with <c>Lastfm:DiscoverFriends</c>; stored as users to fetch next time.</summary>
    public IReadOnlyList<string> Friends { get; init; } = [];
}

/// <summary>One of the user's own tags on one of their items.</summary>
public sealed record PersonalTag(string Tag, TaggedItem Item);
