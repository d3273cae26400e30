namespace Tastebuds.Worker.Fetching;

/// <summary>Everything fetched for one user in one run, before it is merged into interactions and stored whole.</summary>
public sealed record UserSnapshot(
    UserProfile Profile,
    string Period,
    IReadOnlyList<PlayedTrack> TopTracks,
    IReadOnlyList<PlayedAlbum> TopAlbums,
    IReadOnlyList<PlayedArtist> TopArtists,
    IReadOnlyList<LovedTrackEntry> LovedTracks,
    IReadOnlyList<PersonalTag> Tags);

public sealed record UserProfile(
    string Username, string? RealName, string? Country, long Playcount, DateTimeOffset? RegisteredAt, string? Url, string? ImageUrl);

public sealed record ArtistRef(string Name, string? Mbid = null, string? Url = null);

public sealed record PlayedTrack(string Name, ArtistRef Artist, long Playcount, int? Rank, string? Mbid = null, string? Url = null, int? DurationSeconds = null);

public sealed record PlayedAlbum(string Name, ArtistRef Artist, long Playcount, int? Rank, string? Mbid = null, string? Url = null);

public sealed record PlayedArtist(string Name, long Playcount, int? Rank, string? Mbid = null, string? Url = null);

public sealed record LovedTrackEntry(string Name, ArtistRef Artist, DateTimeOffset? LovedAt, string? Mbid = null, string? Url = null);

/// <summary>A tag the user put on one of their items; <see cref="Artist"/> is null when the item is an artist.</summary>
public sealed record PersonalTag(string Tag, TaggedKind Kind, string Name, string? Artist);

public enum TaggedKind
{
    Track,
    Album,
    Artist,
}
