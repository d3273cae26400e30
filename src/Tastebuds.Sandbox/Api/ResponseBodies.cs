using Tastebuds.Sandbox.World;
using static Tastebuds.Sandbox.Api.JsonWire;

namespace Tastebuds.Sandbox.Api;

/// Whole response bodies, one per method, written from the world.
internal static class ResponseBodies
{
    /// What a server repeating its pages claims: 1000 full pages.
    public const int RepeatedPages = 1000;

    public static byte[] UserInfo(SandboxUser u, HostileValues values) => Write(
        w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("user");
            w.WriteString("name", values.Owner(u.Name));
            w.WriteString("age", "0");
            w.WriteString("subscriber", "0");
            values.Name(w, "realname", u.RealName ?? "");
            w.WriteString("bootstrap", "0");
            values.ProfilePlaycount(w, u.Playcount); // a JSON number here, unlike everywhere else
            w.WriteString("artist_count", Str(u.TopArtists.Count));
            w.WriteString("playlists", "0");
            w.WriteString("track_count", Str(u.TopTracks.Count));
            w.WriteString("album_count", Str(u.TopAlbums.Count));
            Images(w, u.ImageUrlTemplate, sizeFirst: true);
            values.Registered(w, u.Registered);
            w.WriteString("country", u.Country);
            w.WriteString("gender", "n");
            w.WriteString("url", u.Url);
            w.WriteString("type", "user");
            w.WriteEndObject();
            w.WriteEndObject();
        },
        escapeSlashes: true);

    /// A page of a list. `attributes` gets (total, totalPages); a server repeating its pages serves page 1's items
    /// under any page number and claims 1000 full pages.
    public static byte[] Paged<T>(
        string root, string? inner, string itemName, IReadOnlyList<T> all, PageRequest paging, ListShape shape, HostileValues values,
        Action<System.Text.Json.Utf8JsonWriter, T, int> item, Func<int, int, (string, string)[]> attributes) => Write(w =>
    {
        var (items, firstRank, totalPages) = (values.RepeatsPages ? paging with { Page = 1 } : paging).Slice(all);
        var attrs = ListShape.Attributes(values.RepeatsPages
            ? attributes(RepeatedPages * paging.Limit, RepeatedPages)
            : attributes(all.Count, totalPages));
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

    public static Func<int, int, (string, string)[]> PagingAttributes(string userKey, string user, PageRequest paging) => (total, totalPages) =>
    [
        (userKey, user), ("page", Str(paging.Page)), ("perPage", Str(paging.Limit)), ("totalPages", Str(totalPages)), ("total", Str(total)),
    ];

    public static byte[] TopTags(SandboxUser u, PageRequest paging, ListShape shape, ItemWriters writers) => Write(w =>
    {
        // getTopTags takes a limit but no page, and its @attr holds only the user.
        var tags = u.TopTags.Take(paging.Limit).ToArray();
        w.WriteStartObject();
        w.WriteStartObject("toptags");
        shape.Write(w, "tag", tags, 1, ItemWriters.Tag, ListShape.Attributes(("user", writers.Values.Owner(u.Name))));
        w.WriteEndObject();
        w.WriteEndObject();
    });
}
