using System.Text.Json;
using Tastebuds.Tests.Support;
using Tastebuds.Worker.Lastfm;

namespace Tastebuds.Tests.Lastfm.Fuzz;

/// <summary>Which part of a <see cref="Tastebuds.Worker.Fetching.UserSnapshot"/> a method's answer feeds.</summary>
internal enum FuzzSlot
{
    Profile,
    TopTracks,
    TopAlbums,
    TopArtists,
    LovedTracks,
    TopTags,
    PersonalTags,
    Friends,
    RecentTracks,
}

/// <summary>A recorded success body, the parser method that reads it and the user it was asked for.</summary>
internal sealed record FuzzBody(string File, FuzzSlot Slot, Func<JsonElement, object> Map, byte[] Bytes)
{
    public string AskedUser { get; init; } = "RJ";
}

/// <summary>
/// The recorded success bodies in <c>Fixtures/lastfm-api-samples</c>, one entry per file. The error bodies
/// (<c>error.*</c>, <c>legacy.error.*</c>) are not mutated: no parser map reads them; the contract tests check them.
/// </summary>
internal static class FuzzFixtures
{
    public static IReadOnlyList<FuzzBody> Load() =>
    [
        Body("user.getInfo.json", FuzzSlot.Profile, r => LastfmParser.UserInfo(r)),
        Body("user.getTopTracks.json", FuzzSlot.TopTracks, r => LastfmParser.TopTracks(r)),
        Body("user.getTopTracks.with-mbid.json", FuzzSlot.TopTracks, r => LastfmParser.TopTracks(r)) with { AskedUser = "Zaratoustre" },
        Body("user.getTopAlbums.json", FuzzSlot.TopAlbums, r => LastfmParser.TopAlbums(r)),
        Body("user.getTopArtists.json", FuzzSlot.TopArtists, r => LastfmParser.TopArtists(r)),
        Body("legacy.user.getTopArtists.empty.json", FuzzSlot.TopArtists, r => LastfmParser.TopArtists(r)) with { AskedUser = "e" },
        Body("user.getLovedTracks.json", FuzzSlot.LovedTracks, r => LastfmParser.LovedTracks(r)),
        Body("user.getTopTags.json", FuzzSlot.TopTags, r => LastfmParser.TopTags(r)),
        Body("user.getTopTags.empty.json", FuzzSlot.TopTags, r => LastfmParser.TopTags(r)) with { AskedUser = "Zaratoustre" },
        Body("user.getPersonalTags.track.json", FuzzSlot.PersonalTags, LastfmParser.PersonalTags(TaggingType.Track)),
        Body("user.getPersonalTags.artist.json", FuzzSlot.PersonalTags, LastfmParser.PersonalTags(TaggingType.Artist)),
        Body("user.getPersonalTags.album.empty.json", FuzzSlot.PersonalTags, LastfmParser.PersonalTags(TaggingType.Album)) with { AskedUser = "Zaratoustre" },
        Body("user.getFriends.json", FuzzSlot.Friends, r => LastfmParser.Friends(r)),
        Body("user.getRecentTracks.json", FuzzSlot.RecentTracks, r => LastfmParser.RecentTracks(r)),
        Body("legacy.user.getRecentTracks.single-object.json", FuzzSlot.RecentTracks, r => LastfmParser.RecentTracks(r)),
    ];

    private static FuzzBody Body(string file, FuzzSlot slot, Func<JsonElement, object> map) =>
        new(file, slot, map, Fixtures.ApiSample(file));
}
