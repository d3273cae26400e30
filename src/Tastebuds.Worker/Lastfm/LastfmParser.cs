using System.Text.Json;
using static Tastebuds.Worker.Lastfm.LastfmWire;

namespace Tastebuds.Worker.Lastfm;

/// <summary>Maps success bodies (already checked for errors and well-formedness) to domain records.</summary>
internal static class LastfmParser
{
    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    public static T Parse<T>(ReadOnlyMemory<byte> body, Func<JsonElement, T> map)
    {
        if (body.Span.StartsWith(Utf8Bom))
        {
            body = body[Utf8Bom.Length..];
        }

        using var document = JsonDocument.Parse(body);
        return map(document.RootElement);
    }

    public static LastfmUserProfile UserInfo(JsonElement root) => Profile(Container(root, "user"));

    public static LastfmPage<TopTrack> TopTracks(JsonElement root) => Page(Container(root, "toptracks"), "track", t =>
    {
        var artist = Prop(t, "artist");
        return new TopTrack(Required(t, "name", "track"), Text(artist) ?? "", NonBlank(t, "mbid"),
            NonBlank(artist, "mbid"), Count(t, "playcount"), Rank(t), NonBlank(t, "url"));
    });

    public static LastfmPage<TopAlbum> TopAlbums(JsonElement root) => Page(Container(root, "topalbums"), "album", a =>
    {
        var artist = Prop(a, "artist");
        return new TopAlbum(Required(a, "name", "album"), Text(artist) ?? "", NonBlank(a, "mbid"),
            NonBlank(artist, "mbid"), Count(a, "playcount"), Rank(a), NonBlank(a, "url"));
    });

    public static LastfmPage<TopArtist> TopArtists(JsonElement root) => Page(Container(root, "topartists"), "artist", a =>
        new TopArtist(Required(a, "name", "artist"), NonBlank(a, "mbid"), Count(a, "playcount"), Rank(a), NonBlank(a, "url")));

    public static LastfmPage<LovedTrack> LovedTracks(JsonElement root) => Page(Container(root, "lovedtracks"), "track", t =>
    {
        var artist = Prop(t, "artist");
        return new LovedTrack(Required(t, "name", "track"), Text(artist) ?? "", NonBlank(t, "mbid"),
            NonBlank(artist, "mbid"), UnixTime(Prop(Prop(t, "date"), "uts")), NonBlank(t, "url"));
    });

    public static LastfmPage<RecentTrack> RecentTracks(JsonElement root) => Page(Container(root, "recenttracks"), "track", t =>
    {
        var artist = Prop(t, "artist");
        var nowPlaying = string.Equals(Text(Prop(t, "@attr"), "nowplaying"), "true", StringComparison.OrdinalIgnoreCase);
        return new RecentTrack(Required(t, "name", "track"), Text(artist) ?? "", NonBlank(Prop(t, "album"), "#text"),
            NonBlank(t, "mbid"), NonBlank(artist, "mbid"), UnixTime(Prop(Prop(t, "date"), "uts")), nowPlaying);
    });

    /// <summary>user.getTopTags has no paging: the page is the whole answer.</summary>
    public static LastfmPage<TagCount> TopTags(JsonElement root) => Page(Container(root, "toptags"), "tag", t =>
        new TagCount(Required(t, "name", "tag"), Long(t, "count")));

    public static LastfmPage<LastfmUserProfile> Friends(JsonElement root) => Page(Container(root, "friends"), "user", Profile);

    /// <summary>user.getPersonalTags: <c>taggings.{tracks|albums|artists}.{track|album|artist}</c>, paging on <c>taggings</c>.</summary>
    public static Func<JsonElement, LastfmPage<TaggedItem>> PersonalTags(TaggingType kind)
    {
        var item = kind.ToString().ToLowerInvariant();
        return root =>
        {
            var taggings = Container(root, "taggings");
            var (totalPages, total, user) = Paging(taggings);
            var items = new List<TaggedItem>();
            foreach (var i in Items(Prop(taggings, item + "s"), item))
            {
                var artist = kind == TaggingType.Artist ? null : Text(Prop(i, "artist"));
                items.Add(new TaggedItem(kind, Required(i, "name", item), artist, NonBlank(i, "mbid"), NonBlank(i, "url")));
            }

            return new LastfmPage<TaggedItem>(items, totalPages, total) { User = user };
        };
    }

    private static LastfmUserProfile Profile(JsonElement u) => new(
        Required(u, "name", "user"),
        NonBlank(u, "realname")?.Trim(),
        NonBlank(u, "country"),
        Count(u, "playcount"),
        UnixTime(Prop(Prop(u, "registered"), "unixtime")),
        NonBlank(u, "url"),
        ImageUrl(u));

    private static int Rank(JsonElement item)
    {
        var rank = Int(Prop(item, "@attr"), "rank");
        return rank != 0 ? rank : Int(item, "rank");
    }

    private static LastfmPage<T> Page<T>(JsonElement container, string itemName, Func<JsonElement, T> map)
    {
        var (totalPages, total, user) = Paging(container);
        var items = new List<T>();
        foreach (var item in Items(container, itemName))
        {
            items.Add(map(item));
        }

        return new LastfmPage<T>(items, totalPages, total) { User = user };
    }

    /// <summary>The root key's object. Missing means a body of another shape: not retried, reported.</summary>
    private static JsonElement Container(JsonElement root, string name)
    {
        var container = Prop(root, name);
        return container.ValueKind switch
        {
            JsonValueKind.Object => container,
            // Seen for empty results in old responses: "topartists": "" or "\n". Text, not GetString: it throws on a lone surrogate.
            JsonValueKind.String when string.IsNullOrWhiteSpace(Text(container)) => default,
            _ => throw new JsonException($"The body has no '{name}' object."),
        };
    }
}
