using Tastebuds.Sandbox.World;
using static Tastebuds.Sandbox.Api.ResponseBodies;

namespace Tastebuds.Sandbox.Api;

/// The supported methods (names are case-insensitive, like the API's).
internal static class Methods
{
    public sealed record Method(string Name, bool Paged, bool NeedsTag, string? ContentType, Func<SandboxWorld, SandboxUser, LastfmRequest, ListShape, byte[]> Write);

    private static readonly Dictionary<string, Method> ByName = new Method[]
    {
        new("user.getinfo", false, false, "application/json", (_, u, _, _) => UserInfo(u)),
        new("user.gettoptracks", true, false, null, (w, u, r, s) =>
        {
            var items = u.TopTracksFor(r.Period);
            return Paged("toptracks", null, "track", items, r.Paging, s, ItemWriters.TopTrack, pages => PagingAttributes("user", u.Name, r.Paging, items.Count, pages));
        }),
        new("user.gettopalbums", true, false, null, (w, u, r, s) =>
        {
            var items = u.TopAlbumsFor(r.Period);
            return Paged("topalbums", null, "album", items, r.Paging, s, ItemWriters.TopAlbum, pages => PagingAttributes("user", u.Name, r.Paging, items.Count, pages));
        }),
        new("user.gettopartists", true, false, null, (w, u, r, s) =>
        {
            var items = u.TopArtistsFor(r.Period);
            return Paged("topartists", null, "artist", items, r.Paging, s, ItemWriters.TopArtist, pages => PagingAttributes("user", u.Name, r.Paging, items.Count, pages));
        }),
        new("user.getlovedtracks", true, false, null, (w, u, r, s) =>
            Paged("lovedtracks", null, "track", u.LovedTracks, r.Paging, s, ItemWriters.LovedTrack, pages => PagingAttributes("user", u.Name, r.Paging, u.LovedTracks.Count, pages))),
        new("user.gettoptags", false, false, null, (w, u, r, s) => TopTags(u, r.Paging, s)),
        new("user.getfriends", true, false, null, (w, u, r, s) =>
        {
            // Friends that no longer exist are dropped rather than served half-empty.
            var friends = u.Friends.Select(w.FindUser).OfType<SandboxUser>().ToArray();
            return Paged("friends", null, "user", friends, r.Paging, s, ItemWriters.Friend, pages => PagingAttributes("for", u.Name, r.Paging, friends.Length, pages));
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

    private static byte[] PersonalTags(SandboxWorld world, SandboxUser u, LastfmRequest r, ListShape s)
    {
        var tag = u.FindPersonalTag(r.Tag!);
        (string, string)[] Attributes(int count, int pages) =>
            [("user", u.Name), ("tag", r.Tag!), ("page", JsonWire.Str(r.Paging.Page)), ("perPage", JsonWire.Str(r.Paging.Limit)),
             ("totalPages", JsonWire.Str(pages)), ("total", JsonWire.Str(count))];
        return TaggingType(r.TaggingType) switch
        {
            SandboxTaggingType.Track => Paged("taggings", "tracks", "track", tag?.Tracks ?? [], r.Paging, s, ItemWriters.TaggedTrack, p => Attributes(tag?.Tracks.Count ?? 0, p)),
            SandboxTaggingType.Album => Paged("taggings", "albums", "album", tag?.Albums ?? [], r.Paging, s, ItemWriters.TaggedAlbum, p => Attributes(tag?.Albums.Count ?? 0, p)),
            _ => Paged("taggings", "artists", "artist", tag?.Artists ?? [], r.Paging, s, ItemWriters.TaggedArtist, p => Attributes(tag?.Artists.Count ?? 0, p)),
        };
    }
}
