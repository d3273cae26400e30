using Tastebuds.Sandbox.World;
using static Tastebuds.Sandbox.Api.JsonWire;

namespace Tastebuds.Sandbox.Api;

/// Whole response bodies, one per method, written from the world.
internal static class ResponseBodies
{
    public static byte[] UserInfo(SandboxUser u) => Write(
        w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("user");
            w.WriteString("name", u.Name);
            w.WriteString("age", "0");
            w.WriteString("subscriber", "0");
            w.WriteString("realname", u.RealName ?? "");
            w.WriteString("bootstrap", "0");
            w.WriteNumber("playcount", u.Playcount); // a JSON number here, unlike everywhere else
            w.WriteString("artist_count", Str(u.TopArtists.Count));
            w.WriteString("playlists", "0");
            w.WriteString("track_count", Str(u.TopTracks.Count));
            w.WriteString("album_count", Str(u.TopAlbums.Count));
            Images(w, u.ImageUrlTemplate, sizeFirst: true);
            w.WriteStartObject("registered");
            w.WriteNumber("unixtime", u.Registered.ToUnixTimeSeconds());
            w.WriteNumber("#text", u.Registered.ToUnixTimeSeconds());
            w.WriteEndObject();
            w.WriteString("country", u.Country);
            w.WriteString("gender", "n");
            w.WriteString("url", u.Url);
            w.WriteString("type", "user");
            w.WriteEndObject();
            w.WriteEndObject();
        },
        escapeSlashes: true);

    public static byte[] Paged<T>(
        string root, string? inner, string itemName, IReadOnlyList<T> all, PageRequest paging, ListShape shape,
        Action<System.Text.Json.Utf8JsonWriter, T, int> item, Func<int, (string, string)[]> attributes) => Write(w =>
    {
        var (items, firstRank, totalPages) = paging.Slice(all);
        var attrs = ListShape.Attributes(attributes(totalPages));
        w.WriteStartObject();
        w.WriteStartObject(root);
        if (inner is null)
        {
            shape.Write(w, itemName, items.ToArray(), firstRank, item, attrs);
        }
        else
        {
            // user.getPersonalTags nests the list one level deeper: {"taggings":{"tracks":{"track":[...]},"@attr":{...}}}
            var noAttributes = new ListShape(false, shape.LoneItemAsObject);
            if (shape.AttrFirst)
            {
                attrs(w);
            }

            w.WriteStartObject(inner);
            noAttributes.Write(w, itemName, items.ToArray(), firstRank, item, _ => { });
            w.WriteEndObject();
            if (!shape.AttrFirst)
            {
                attrs(w);
            }
        }

        w.WriteEndObject();
        w.WriteEndObject();
    });

    public static (string, string)[] PagingAttributes(string userKey, string user, PageRequest paging, int total, int totalPages) =>
    [
        (userKey, user), ("page", Str(paging.Page)), ("perPage", Str(paging.Limit)), ("totalPages", Str(totalPages)), ("total", Str(total)),
    ];

    public static byte[] TopTags(SandboxUser u, PageRequest paging, ListShape shape) => Write(w =>
    {
        // getTopTags takes a limit but no page, and its @attr holds only the user.
        var tags = u.TopTags.Take(paging.Limit).ToArray();
        w.WriteStartObject();
        w.WriteStartObject("toptags");
        shape.Write(w, "tag", tags, 1, ItemWriters.Tag, ListShape.Attributes(("user", u.Name)));
        w.WriteEndObject();
        w.WriteEndObject();
    });
}
