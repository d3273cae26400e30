using Tastebuds.Sandbox.World;
using static Tastebuds.Sandbox.Api.ResponseBodies;

namespace Tastebuds.Sandbox.Api;

/// The supported methods (names are case-insensitive, like the API's).
internal static class Methods
{
    public sealed record Method(
        string Name, bool Paged, bool NeedsTag, string? ContentType, Func<SandboxWorld, SandboxUser, LastfmRequest, ListShape, ItemWriters, byte[]> Write);

    private static readonly Dictionary<string, Method> ByName = new Method[]
    {
        new("user.getinfo", false, false, "application/json", (_, u, _, _, x) => UserInfo(u, x.Values)),
        new("user.gettoptracks", true, false, null, (w, u, r, s, x) =>
            Paged("toptracks", null, "track", u.TopTracksFor(r.Period), r.Paging, s, x.Values, x.TopTrack, Attributes("user", u, r, x))),
        new("user.gettopalbums", true, false, null, (w, u, r, s, x) =>
            Paged("topalbums", null, "album", u.TopAlbumsFor(r.Period), r.Paging, s, x.Values, x.TopAlbum, Attributes("user", u, r, x))),
        new("user.gettopartists", true, false, null, (w, u, r, s, x) =>
            Paged("topartists", null, "artist", u.TopArtistsFor(r.Period), r.Paging, s, x.Values, x.TopArtist, Attributes("user", u, r, x))),
        new("user.getlovedtracks", true, false, null, (w, u, r, s, x) =>
            Paged("lovedtracks", null, "track", u.LovedTracks, r.Paging, s, x.Values, x.LovedTrack, Attributes("user", u, r, x))),

        // The world keeps no scrobble history: each loved track counts as scrobbled once, when it was loved.
        new("user.getrecenttracks", true, false, null, (w, u, r, s, x) =>
            Paged("recenttracks", null, "track", u.LovedTracks, r.Paging, s, x.Values, x.RecentTrack, Attributes("user", u, r, x))),
        new("user.gettoptags", false, false, null, (w, u, r, s, x) => TopTags(u, r.Paging, s, x)),
        new("user.getfriends", true, false, null, (w, u, r, s, x) =>
        {
            // Friends that no longer exist are dropped rather than served half-empty.
            var friends = u.Friends.Select(w.FindUser).OfType<SandboxUser>().ToArray();
            return Paged("friends", null, "user", friends, r.Paging, s, x.Values, x.Friend, Attributes("for", u, r, x));
        }),
        new("user.getpersonaltags", true, true, null, PersonalTags),
    }.ToDictionary(m => m.Name, StringComparer.OrdinalIgnoreCase);

    public static Method? Find(string name) => ByName.GetValueOrDefault(name);

    public static SandboxTaggingType? TaggingType(string? text) => text switch
    {
        "track" => SandboxTaggingType.Track,
        "album" => SandboxTaggingType.Album,
        "artist" => SandboxTaggingType.Artist,
        _ => null,
    };

    private static Func<int, int, (string, string)[]> Attributes(string userKey, SandboxUser u, LastfmRequest r, ItemWriters x) =>
        PagingAttributes(userKey, x.Values.Owner(u.Name), r.Paging);

    private static byte[] PersonalTags(SandboxWorld world, SandboxUser u, LastfmRequest r, ListShape s, ItemWriters x)
    {
        var tag = u.FindPersonalTag(r.Tag!);
        (string, string)[] Attributes(int total, int pages) =>
            [("user", x.Values.Owner(u.Name)), ("tag", r.Tag!), ("page", JsonWire.Str(r.Paging.Page)), ("perPage", JsonWire.Str(r.Paging.Limit)),
             ("totalPages", JsonWire.Str(pages)), ("total", JsonWire.Str(total))];
        return TaggingType(r.TaggingType) switch
        {
            SandboxTaggingType.Track => Paged("taggings", "tracks", "track", tag?.Tracks ?? [], r.Paging, s, x.Values, x.TaggedTrack, Attributes),
            SandboxTaggingType.Album => Paged("taggings", "albums", "album", tag?.Albums ?? [], r.Paging, s, x.Values, x.TaggedAlbum, Attributes),
            _ => Paged("taggings", "artists", "artist", tag?.Artists ?? [], r.Paging, s, x.Values, x.TaggedArtist, Attributes),
        };
    }
}
