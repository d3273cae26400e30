namespace Tastebuds.Sandbox.World;

/// <summary>An artist of the sandbox catalogue. <see cref="Name"/> is canonical: one spelling per artist.</summary>
/// <param name="Name">Display name as served (may hold non-ASCII, '&amp;', '/', '+', quotes).</param>
/// <param name="Mbid">MusicBrainz id, or "" (many items have none; it is never an identity).</param>
/// <param name="Url">Last.fm page URL.</param>
/// <param name="ImageUrlTemplate">Image URL with a <c>{size}</c> placeholder, or "" when the images are empty.</param>
public sealed record SandboxArtist(string Name, string Mbid, string Url, string ImageUrlTemplate);

/// <summary>An album of the sandbox catalogue; names are unique per artist.</summary>
public sealed record SandboxAlbum(string Name, SandboxArtist Artist, string Mbid, string Url, string ImageUrlTemplate);

/// <summary>A track of the sandbox catalogue; names are unique per artist, but different artists may share a name.</summary>
/// <param name="Name">Track title.</param>
/// <param name="Artist">Performing artist.</param>
/// <param name="Album">The album the track is on.</param>
/// <param name="Mbid">MusicBrainz id or "" (a few tracks share an mbid on purpose).</param>
/// <param name="Url">Last.fm page URL.</param>
/// <param name="DurationSeconds">Duration in seconds, 0 when unknown (served as "0" like Last.fm).</param>
/// <param name="ImageUrlTemplate">Image URL with a <c>{size}</c> placeholder, or "".</param>
public sealed record SandboxTrack(
    string Name, SandboxArtist Artist, SandboxAlbum Album, string Mbid, string Url, int DurationSeconds, string ImageUrlTemplate);

/// <summary>An item of a user's top list with the user's play count (always ≥ 1).</summary>
public sealed record SandboxPlayed<TItem>(TItem Item, long Playcount);

/// <summary>A loved track with the time it was loved (whole seconds, UTC).</summary>
public sealed record SandboxLovedTrack(SandboxTrack Track, DateTimeOffset LovedAt);

/// <summary>One of a user's top tags: <see cref="Count"/> is how many items the user tagged with it.</summary>
public sealed record SandboxTagCount(string Name, int Count);

/// <summary>The items a user tagged with one personal tag, per tagging type, in the order served.</summary>
public sealed record SandboxPersonalTag(
    string Tag, IReadOnlyList<SandboxTrack> Tracks, IReadOnlyList<SandboxAlbum> Albums, IReadOnlyList<SandboxArtist> Artists);

/// <summary>The <c>period</c> parameter of the user.getTop* methods.</summary>
public enum SandboxPeriod
{
    /// <summary><c>overall</c>: the full data (the default).</summary>
    Overall,

    /// <summary><c>7day</c>.</summary>
    SevenDay,

    /// <summary><c>1month</c>.</summary>
    OneMonth,

    /// <summary><c>3month</c>.</summary>
    ThreeMonth,

    /// <summary><c>6month</c>.</summary>
    SixMonth,

    /// <summary><c>12month</c>.</summary>
    TwelveMonth,
}

/// <summary>The <c>taggingtype</c> parameter of user.getPersonalTags.</summary>
public enum SandboxTaggingType
{
    /// <summary><c>track</c>.</summary>
    Track,

    /// <summary><c>album</c>.</summary>
    Album,

    /// <summary><c>artist</c>.</summary>
    Artist,
}
