namespace Tastebuds.Worker.Lastfm;

// Plain domain records: what callers get, free of the wire format's quirks.
// Empty strings from the wire ("mbid": "", "country": "") become null; names are kept as sent (less NULs and lone
// surrogates). A play count is null when the wire held no number; other bounds are applied by MergedSnapshot.

/// <summary>A profile from user.getInfo or user.getFriends. <c>RealName</c> is trimmed ("Richard Jones " → "Richard Jones").</summary>
public sealed record LastfmUserProfile(
    string Name, string? RealName, string? Country, long? Playcount, DateTimeOffset? Registered, string? Url, string? ImageUrl);

public sealed record TopTrack(
    string Name, string Artist, string? Mbid, string? ArtistMbid, long? Playcount, int Rank, string? Url);

public sealed record TopAlbum(
    string Name, string Artist, string? Mbid, string? ArtistMbid, long? Playcount, int Rank, string? Url);

public sealed record TopArtist(string Name, string? Mbid, long? Playcount, int Rank, string? Url);

public sealed record LovedTrack(
    string Name, string Artist, string? Mbid, string? ArtistMbid, DateTimeOffset? LovedAt, string? Url);

/// <summary>A scrobble from user.getRecentTracks; <c>PlayedAt</c> is null for the now-playing track.</summary>
public sealed record RecentTrack(
    string Name, string Artist, string? Album, string? Mbid, string? ArtistMbid, DateTimeOffset? PlayedAt, bool NowPlaying);

public sealed record TagCount(string Name, long Count);

public enum TaggingType
{
    Track,
    Album,
    Artist,
}

/// <summary>An item the user tagged personally; <c>Artist</c> is null for artists.</summary>
public sealed record TaggedItem(TaggingType Kind, string Name, string? Artist, string? Mbid, string? Url);

/// <summary>One page of a list method, with the paging the server claimed (not trusted for sizes) and the user it says it is for.</summary>
internal sealed record LastfmPage<T>(IReadOnlyList<T> Items, int TotalPages, int Total)
{
    /// <summary><c>@attr.user</c>: checked against the user asked for; null when the body does not say.</summary>
    public string? User { get; init; }
}

/// <summary>Loved tracks as fetched, and the total the first page claimed (the user's loved tracks in all).</summary>
public sealed record LovedTracksPage(IReadOnlyList<LovedTrack> Items, int Total);
