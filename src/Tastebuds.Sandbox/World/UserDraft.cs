namespace Tastebuds.Sandbox.World;

/// A user while the world is generated (friends are known only once every user exists).
internal sealed class UserDraft
{
    public required string Name { get; init; }

    public int Cluster { get; init; }

    public string? RealName { get; init; }

    public required string Country { get; init; }

    public DateTimeOffset Registered { get; init; }

    public required string ImageUrlTemplate { get; init; }

    public bool IsPrivate { get; init; }

    public long Playcount { get; set; }

    public SandboxPlayed<SandboxTrack>[] TopTracks { get; set; } = [];

    public SandboxLovedTrack[] LovedTracks { get; set; } = [];

    public SandboxPersonalTag[] PersonalTags { get; set; } = [];

    public SandboxUser ToUser(long seed, IReadOnlyList<string> friends) => new(seed)
    {
        Name = Name,
        RealName = RealName,
        Country = Country,
        Playcount = Playcount,
        Registered = Registered,
        Url = NameGenerator.Url("https://www.last.fm/user/", Name),
        ImageUrlTemplate = ImageUrlTemplate,
        IsPrivate = IsPrivate,
        TopTracks = TopTracks,
        TopAlbums = ListeningAggregates.Albums(TopTracks),
        TopArtists = ListeningAggregates.Artists(TopTracks),
        LovedTracks = LovedTracks,
        TopTags = PersonalTags.Select(t => new SandboxTagCount(t.Tag, t.Tracks.Count + t.Albums.Count + t.Artists.Count)).ToArray(),
        PersonalTags = PersonalTags,
        Friends = friends,
    };
}
