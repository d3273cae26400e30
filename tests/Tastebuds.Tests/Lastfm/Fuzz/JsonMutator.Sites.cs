using System.Text.Json.Nodes;

namespace Tastebuds.Tests.Lastfm.Fuzz;

/// <summary>Where a mutation lands: every value of the document with its parent, its key or index, and its path.</summary>
internal sealed partial class JsonMutator
{
    private static List<Site> Sites(JsonNode? root)
    {
        var top = new Site(null, null, -1, root, null, null);
        var sites = new List<Site> { top };
        Walk(top, sites);
        return sites;
    }

    private static void Walk(Site site, List<Site> sites)
    {
        switch (site.Node)
        {
            case JsonObject o:
                foreach (var (key, child) in o)
                {
                    var member = new Site(o, key, -1, child, key, site);
                    sites.Add(member);
                    Walk(member, sites);
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    // An array element is named after its list: the items of "track": [...] are "track".
                    var element = new Site(a, null, i, a[i], site.Name, site);
                    sites.Add(element);
                    Walk(element, sites);
                }

                break;
        }
    }

    /// <summary>
    /// A value other than the root: one that <paramref name="preferred"/> likes, most of the time, else any, the
    /// names Last.fm's readers look at weighted 8 to 1 against image sizes and the like. Null when there is none.
    /// With <paramref name="strict"/>, only one that <paramref name="preferred"/> likes.
    /// </summary>
    private Site? Target(Func<Site, bool> preferred, bool strict = false)
    {
        var sites = Sites(_root);
        sites.RemoveAt(0);
        if (strict || _random.NextDouble() < 0.85)
        {
            var liked = sites.Where(preferred).ToList();
            if (liked.Count > 0 || strict)
            {
                return liked.Count > 0 ? One(liked) : null;
            }
        }

        if (sites.Count == 0)
        {
            return null;
        }

        var total = sites.Sum(Weight);
        var pick = _random.Next(total);
        foreach (var site in sites)
        {
            pick -= Weight(site);
            if (pick < 0)
            {
                return site;
            }
        }

        return sites[^1];
    }

    private static int Weight(Site site) => site.Name is not null && Interesting.Contains(site.Name) ? 8 : 1;

    private void Replace(Site site, JsonNode? value)
    {
        switch (site.Parent)
        {
            case JsonObject o:
                o[site.Key!] = value;
                break;
            case JsonArray a:
                a[site.Index] = value;
                break;
            default:
                _root = value;
                break;
        }
    }

    private sealed record Site(JsonNode? Parent, string? Key, int Index, JsonNode? Node, string? Name, Site? Up)
    {
        public string Path => Up is null ? "$" : Key is not null ? $"{Up.Path}.{Key}" : $"{Up.Path}[{Index}]";

        /// <summary>A string as recorded or as type-swapped, not a placeholder for raw text.</summary>
        public bool IsString => Node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String && !IsPlaceholder(v);

        public bool IsListItem => Parent is JsonArray && Node is JsonObject && Name is "track" or "album" or "artist" or "user" or "tag";
    }
}
