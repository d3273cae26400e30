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
    IReadOnlyList<PersonalTag> Tags);

/// <summary>One of the user's own tags on one of their items.</summary>
public sealed record PersonalTag(string Tag, TaggedItem Item);
