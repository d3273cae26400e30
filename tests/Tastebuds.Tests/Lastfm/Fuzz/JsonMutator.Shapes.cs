using System.Text.Json.Nodes;

namespace Tastebuds.Tests.Lastfm.Fuzz;

/// <summary>Mutations of shape: lists and items swapped, objects emptied, paging and dates broken, items out of place.</summary>
internal sealed partial class JsonMutator
{
    private static readonly string[] DateShapes =
    [
        "\"04 Apr 2016, 10:53\"", "1459767227", "[]", "null", "{\"#text\":\"x\"}", "{\"uts\":{\"#text\":\"1459767227\"}}",
        "{\"unixtime\":\"99999999999999\"}", "{\"uts\":\"-5\"}", "{\"uts\":\"abc\",\"#text\":\"abc\"}",
    ];

    /// <summary>Error bodies and error members with hostile codes and messages (the inspector reads them from any body).</summary>
    private static readonly string[] ErrorBodies =
    [
        "{\"error\":6,\"message\":\"No user with that name\"}", "{\"error\":\"\\ud800\",\"message\":\"x\"}", "{\"message\":\"\\ud800\\u0000\",\"error\":\"6\"}",
        "{\"error\":\"6\\u0000\"}", "{\"error\":1e400}", "{\"error\":\"99999999999\",\"message\":\"\\udfff\"}", "{\"error\":{\"#text\":6}}",
        "{\"error\":-1,\"message\":[]}", "{\"error\":\"\",\"message\":null}",
    ];

    private static readonly KeyValuePair<string, string>[] ErrorMembers =
    [
        new("error", "29"), new("error", "\"\\ud800\""), new("error", "\"1e400\""), new("error", "1e400"), new("message", "\"\\udfff\\u0000\""),
        new("error", "99999999999999999999"), new("message", "{\"#text\":\"x\"}"),
    ];

    private string ItemNotArray()
    {
        if (Target(s => s.Node is JsonArray, strict: true) is not { Node: JsonArray list } site)
        {
            return TypeSwap();
        }

        var item = list.Count == 0 || _random.Next(4) == 0 ? new JsonObject() : (_random.Next(2) == 0 ? list[0] : list[^1])?.DeepClone();
        Replace(site, item);
        return $"{site.Path} (array of {list.Count}) → {Text(item)}";
    }

    private string ArrayNotItem()
    {
        if (Target(s => s.Node is JsonObject && (s.IsListItem || Interesting.Contains(s.Name!)), strict: true) is not { Node: JsonObject item } site)
        {
            return TypeSwap();
        }

        JsonNode list = _random.Next(4) switch
        {
            0 => new JsonArray(item.DeepClone()),
            1 => new JsonArray(item.DeepClone(), item.DeepClone()),
            2 => new JsonArray(new JsonArray(item.DeepClone())),
            _ => new JsonArray(item.DeepClone(), 5, "x", null),
        };
        Replace(site, list);
        return $"{site.Path} object → {Text(list)}";
    }

    private string EmptyForObject() =>
        Target(s => s.Node is JsonObject, strict: true) is { } site ? Set(site, One(FuzzValues.EmptyObjects)) : TypeSwap();

    private string Attr()
    {
        var start = _random.Next(6);
        for (var i = 0; i < 6; i++)
        {
            if (AttrChange((start + i) % 6) is { } done)
            {
                return done;
            }
        }

        return AbsurdNumber();
    }

    private string? AttrChange(int which)
    {
        switch (which)
        {
            case 0 when Target(s => s.Name == "@attr", strict: true) is { Parent: JsonObject o } site:
                o.Remove("@attr");
                return $"removed {site.Path}";
            case 1 when Target(s => s.Name == "@attr", strict: true) is { } site:
                return Set(site, _random.Next(3) == 0 ? "5" : One(FuzzValues.EmptyObjects));
            case 2 when Target(s => s.Name is "totalPages" or "total" or "page" or "perPage" or "rank", strict: true) is { } site:
                return Set(site, _random.Next(3) == 0 ? One(["2147483647", "2147483648", "99999999999999", "\"99999999999999999999\""]) : One(FuzzValues.AbsurdNumbers));
            case 3 when Target(s => s.Name is "user" or "for" && s.Node is JsonValue, strict: true) is { } site:
                return Set(site, One(FuzzValues.Users));
            case 4 when Target(s => s.Name == "@attr" && s.Node is JsonObject && s.Up?.Node is JsonObject, strict: true) is { Node: JsonObject attr } site:
                // The legacy shape: paging attributes inline in the container, no @attr.
                var container = (JsonObject)site.Up!.Node!;
                container.Remove("@attr");
                foreach (var (key, value) in attr.ToList())
                {
                    attr.Remove(key);
                    container[key] = value;
                }

                return $"{site.Path} moved inline into {site.Up.Path}";
            case 5 when Target(s => s.IsListItem, strict: true) is { Node: JsonObject item } site:
                var raw = One(["{\"nowplaying\":\"true\"}", "{\"nowplaying\":true}", "{\"rank\":" + One(FuzzValues.AbsurdNumbers) + "}", "\"\"", "{\"rank\":\"0\"}"]);
                item["@attr"] = Raw(raw);
                return $"{site.Path}.@attr = {raw}";
            default:
                return null;
        }
    }

    private string Timestamp()
    {
        if (_random.Next(10) < 7 && Target(s => s.Name is "uts" or "unixtime", strict: true) is { } value)
        {
            return Set(value, One(FuzzValues.Timestamps()));
        }

        if (Target(s => s.Name is "date" or "registered", strict: true) is { } date)
        {
            return Set(date, One(DateShapes));
        }

        if (Target(s => s.IsListItem, strict: true) is { Node: JsonObject item } site)
        {
            var raw = "{\"uts\":" + One(FuzzValues.Timestamps()) + "}";
            item["date"] = Raw(raw);
            return $"{site.Path}.date = {raw}";
        }

        return AbsurdNumber();
    }

    private string DuplicateItem()
    {
        if (Target(s => s.Node is JsonArray { Count: > 0 } && s.Name is "track" or "album" or "artist" or "user" or "tag", strict: true) is not { Node: JsonArray list } site)
        {
            return ArrayNotItem();
        }

        var index = _random.Next(list.Count);
        var copies = _random.Next(10) == 0 ? 2000 : 1 + _random.Next(3);
        for (var i = 0; i < copies; i++)
        {
            list.Insert(copies > 3 ? list.Count : _random.Next(list.Count + 1), list[index]?.DeepClone());
        }

        return $"{site.Path}[{index}] repeated {copies} times";
    }

    private string ForeignItem()
    {
        var foreign = One(_foreignItems).DeepClone();
        if (Target(s => s.IsListItem, strict: true) is { } item)
        {
            Replace(item, foreign);
            return $"{item.Path} → an item of another method: {Text(foreign)}";
        }

        if (Target(s => s.Node is JsonObject, strict: true) is { } other)
        {
            Replace(other, foreign);
            return $"{other.Path} → an item of another method: {Text(foreign)}";
        }

        return Root();
    }

    private string Root()
    {
        var before = Text(_root);
        switch (_random.Next(5))
        {
            case 0 when _root is JsonObject { Count: > 0 } o:
                var (key, value) = o.First();
                o.Remove(key);
                var renamed = _random.Next(2) == 0 ? key.ToUpperInvariant() : "x" + key;
                o[renamed] = value;
                return $"root: key {key} renamed {renamed}";
            case 1:
                var wrapped = _random.Next(2) == 0 ? (JsonNode)new JsonObject { ["wrapper"] = _root } : new JsonArray(_root);
                _root = wrapped;
                return $"root wrapped: {Text(wrapped)}";
            case 2 or 3 when _root is JsonObject o:
                // An error beside the answer: the inspector reads it, the parser still finds the container.
                var error = One(ErrorMembers);
                if (!o.Remove(error.Key))
                {
                    o.Insert(_random.Next(o.Count + 1), error.Key, null);
                }

                o[error.Key] = Raw(error.Value);
                return $"root: \"{error.Key}\":{error.Value} added";
            default:
                var raw = One(["[]", "\"\"", "null", "{}", "5", "\"{}\"", "{\"\":{}}", .. ErrorBodies]);
                _root = Raw(raw);
                return $"root {before} → {raw}";
        }
    }
}
