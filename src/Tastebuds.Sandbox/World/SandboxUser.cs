namespace Tastebuds.Sandbox.World;

/// <summary>
/// A Last.fm user of the sandbox world, as plain data: profile, ordered top lists (rank = index + 1),
/// loved tracks (most recent first), tags and friends. Lists are what <c>period=overall</c> serves;
/// <see cref="TopTracksFor"/> and friends give the deterministic subset served for shorter periods.
/// </summary>
public sealed class SandboxUser
{
    private readonly Lazy<PeriodLists>[] _periods;

    internal SandboxUser(long seed)
    {
        _periods = Enum.GetValues<SandboxPeriod>()
            .Select(period => new Lazy<PeriodLists>(() => PeriodLists.Build(this, period, seed)))
            .ToArray();
    }

    /// <summary>Canonical username (unique case-insensitively; lookups ignore case).</summary>
    public required string Name { get; init; }

    /// <summary>Real name; null when the profile has none (getFriends then omits the key, getInfo serves "").</summary>
    public string? RealName { get; init; }

    /// <summary>Country name, or "".</summary>
    public required string Country { get; init; }

    /// <summary>Total scrobbles (getInfo <c>playcount</c>, a JSON number).</summary>
    public required long Playcount { get; init; }

    /// <summary>Registration time (whole seconds, UTC).</summary>
    public required DateTimeOffset Registered { get; init; }

    /// <summary>Profile URL.</summary>
    public required string Url { get; init; }

    /// <summary>Avatar URL with a <c>{size}</c> placeholder, or "".</summary>
    public required string ImageUrlTemplate { get; init; }

    /// <summary>True when the listening data is hidden: data methods answer error 17 (getInfo still answers).</summary>
    public bool IsPrivate { get; init; }

    /// <summary>Top tracks for <c>overall</c>, by play count descending.</summary>
    public required IReadOnlyList<SandboxPlayed<SandboxTrack>> TopTracks { get; init; }

    /// <summary>Top albums for <c>overall</c> (sums of the top tracks' plays per album).</summary>
    public required IReadOnlyList<SandboxPlayed<SandboxAlbum>> TopAlbums { get; init; }

    /// <summary>Top artists for <c>overall</c> (sums of the top tracks' plays per artist, or the dataset's weights).</summary>
    public required IReadOnlyList<SandboxPlayed<SandboxArtist>> TopArtists { get; init; }

    /// <summary>Loved tracks, most recently loved first.</summary>
    public required IReadOnlyList<SandboxLovedTrack> LovedTracks { get; init; }

    /// <summary>Top tags, by count descending.</summary>
    public required IReadOnlyList<SandboxTagCount> TopTags { get; init; }

    /// <summary>Personal tags, in the order of <see cref="TopTags"/>.</summary>
    public required IReadOnlyList<SandboxPersonalTag> PersonalTags { get; init; }

    /// <summary>Friends' usernames, in the order served.</summary>
    public required IReadOnlyList<string> Friends { get; init; }

    /// <summary>Top tracks served for <paramref name="period"/>.</summary>
    public IReadOnlyList<SandboxPlayed<SandboxTrack>> TopTracksFor(SandboxPeriod period) =>
        period == SandboxPeriod.Overall ? TopTracks : _periods[(int)period].Value.Tracks;

    /// <summary>Top albums served for <paramref name="period"/>.</summary>
    public IReadOnlyList<SandboxPlayed<SandboxAlbum>> TopAlbumsFor(SandboxPeriod period) =>
        period == SandboxPeriod.Overall ? TopAlbums : _periods[(int)period].Value.Albums;

    /// <summary>Top artists served for <paramref name="period"/>.</summary>
    public IReadOnlyList<SandboxPlayed<SandboxArtist>> TopArtistsFor(SandboxPeriod period) =>
        period == SandboxPeriod.Overall ? TopArtists : _periods[(int)period].Value.Artists;

    /// <summary>The personal tag called <paramref name="tag"/> (case-insensitive), or null.</summary>
    public SandboxPersonalTag? FindPersonalTag(string tag) =>
        PersonalTags.FirstOrDefault(t => string.Equals(t.Tag, tag, StringComparison.OrdinalIgnoreCase));

    /// <inheritdoc/>
    public override string ToString() => Name;
}
