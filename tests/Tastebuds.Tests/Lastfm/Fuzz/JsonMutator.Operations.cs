using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tastebuds.Tests.Lastfm.Fuzz;

/// <summary>The JSON-level mutations, each returning what it did; the table also lists the byte-level ones.</summary>
internal sealed partial class JsonMutator
{
    private static readonly (string Kind, int Weight, Func<JsonMutator, string>? Json, Func<Random, byte[], (byte[], string)>? Raw)[] Table =
    [
        ("type-swap", 12, m => m.TypeSwap(), null),
        ("absurd-number", 12, m => m.AbsurdNumber(), null),
        ("nasty-string", 12, m => m.NastyString(), null),
        ("long-string", 3, m => m.LongString(), null),
        ("deep-nesting", 4, m => m.DeepNesting(), null),
        ("remove-key", 8, m => m.RemoveKey(), null),
        ("duplicate-key", 6, m => m.DuplicateKey(), null),
        ("item-not-array", 5, m => m.ItemNotArray(), null),
        ("array-not-item", 4, m => m.ArrayNotItem(), null),
        ("empty-for-object", 5, m => m.EmptyForObject(), null),
        ("attr", 8, m => m.Attr(), null),
        ("timestamp", 8, m => m.Timestamp(), null),
        ("duplicate-item", 4, m => m.DuplicateItem(), null),
        ("foreign-item", 4, m => m.ForeignItem(), null),
        ("root", 4, m => m.Root(), null),
        ("raw-truncate", 3, null, RawMutations.Truncate),
        ("raw-garbage", 3, null, RawMutations.Garbage),
        ("raw-delete-span", 2, null, RawMutations.DeleteSpan),
        ("raw-duplicate-span", 2, null, RawMutations.DuplicateSpan),
        ("raw-invalid-utf8", 5, null, RawMutations.InvalidUtf8),
        ("raw-bracket-flip", 2, null, RawMutations.BracketFlip),
        ("raw-edges", 3, null, RawMutations.Edges),
        ("raw-bad-escape", 2, null, RawMutations.BadEscape),
    ];

    private static readonly int TotalWeight = Table.Sum(t => t.Weight);

    public static IEnumerable<string> AllKinds => Table.Select(t => t.Kind);

    private static (string Kind, Func<JsonMutator, string>? Json, Func<Random, byte[], (byte[], string)>? Raw) Pick(Random random)
    {
        var pick = random.Next(TotalWeight);
        foreach (var (kind, weight, json, raw) in Table)
        {
            pick -= weight;
            if (pick < 0)
            {
                return (kind, json, raw);
            }
        }

        throw new InvalidOperationException("unreachable");
    }

    private string TypeSwap()
    {
        if (Target(_ => true) is not { } site)
        {
            return Root();
        }

        var kind = site.Node?.GetValueKind() ?? JsonValueKind.Null;
        var text = site.Node is JsonValue v ? v.ToJsonString(Compact).Trim('"') : "x";
        (JsonValueKind Kind, Func<JsonNode?> Make)[] choices =
        [
            (JsonValueKind.Number, () => JsonValue.Create(_random.Next(-3, 100_000))), (JsonValueKind.String, () => JsonValue.Create(text)),
            (JsonValueKind.Object, () => new JsonObject { ["#text"] = text }), (JsonValueKind.Object, () => new JsonObject { ["name"] = text }),
            (JsonValueKind.Object, () => new JsonObject()), (JsonValueKind.Array, () => new JsonArray(site.Node?.DeepClone())),
            (JsonValueKind.Array, () => new JsonArray()), (JsonValueKind.Null, () => null), (JsonValueKind.True, () => JsonValue.Create(_random.Next(2) == 0)),
        ];
        var others = choices.Where(c => c.Kind != kind && !(c.Kind == JsonValueKind.True && kind == JsonValueKind.False)).ToList();
        var before = Text(site.Node);
        var replacement = One(others).Make();
        Replace(site, replacement);
        return $"{site.Path} {before} → {Text(replacement)}";
    }

    private string AbsurdNumber()
    {
        if (Target(s => s.Name is "playcount" or "count" or "rank" or "totalPages" or "total" or "page" or "perPage" or "uts" or "unixtime") is not { } site)
        {
            return Root();
        }

        return Set(site, One(FuzzValues.AbsurdNumbers));
    }

    private string NastyString()
    {
        if (Target(s => s.IsString && s.Name is "name" or "#text" or "realname" or "country" or "url" or "mbid" or "artist" or "album" or "user") is not { } site)
        {
            return Root();
        }

        var original = site.IsString && site.Node!.GetValue<string>() is var s ? s : "x";
        var fragment = string.Concat(Enumerable.Range(0, 1 + _random.Next(3)).Select(_ => One(FuzzValues.StringFragments)));
        var split = _random.Next(original.Length + 1);
        if (split > 0 && split < original.Length && char.IsLowSurrogate(original[split]))
        {
            split--;
        }

        var raw = _random.Next(5) switch
        {
            0 => fragment,
            1 => fragment + Escaped(original),
            2 => Escaped(original) + fragment,
            3 => Escaped(original[..split]) + fragment + Escaped(original[split..]),
            _ => fragment + fragment,
        };
        return Set(site, "\"" + raw + "\"");
    }

    private string LongString() =>
        Target(s => s.Name is "name" or "#text" or "artist" or "realname" or "user" or "url" or "mbid") is { } site ? Set(site, One(FuzzValues.Long)) : Root();

    private string DeepNesting()
    {
        if (Target(s => s.Name is not null && Interesting.Contains(s.Name)) is not { } site)
        {
            return Root();
        }

        var depth = One(FuzzValues.Depths);
        var shape = _random.Next(3);
        Replace(site, Raw(FuzzValues.Nested(depth, shape)));
        return $"{site.Path} → {depth} levels of {(shape switch { 0 => "[", 1 => "{\"#text\":", _ => "{\"name\":[" })}";
    }

    private string RemoveKey()
    {
        switch (Target(s => s.Name is not null && Interesting.Contains(s.Name)))
        {
            case { Parent: JsonObject o } site:
                o.Remove(site.Key!);
                return $"removed {site.Path}";
            case { Parent: JsonArray a } site:
                a.RemoveAt(site.Index);
                return $"removed item {site.Path}";
            default:
                return Root();
        }
    }

    private string DuplicateKey()
    {
        if (Target(s => s.Parent is JsonObject && Interesting.Contains(s.Name!), strict: true) is not { Parent: JsonObject parent } site)
        {
            return TypeSwap();
        }

        var value = _random.Next(4) switch
        {
            0 => site.Node?.ToJsonString(Compact) ?? "null",
            1 => One(FuzzValues.AbsurdNumbers),
            2 => "\"" + One(FuzzValues.StringFragments) + "\"",
            _ => One(FuzzValues.EmptyObjects),
        };
        var before = _random.Next(2) == 0;
        var members = new List<string>();
        foreach (var (key, child) in parent)
        {
            var member = JsonSerializer.Serialize(key, Compact) + ":" + (child?.ToJsonString(Compact) ?? "null");
            var duplicate = JsonSerializer.Serialize(key, Compact) + ":" + value;
            members.AddRange(key != site.Key ? [member] : before ? [duplicate, member] : [member, duplicate]);
        }

        Replace(site.Up!, Raw("{" + string.Join(",", members) + "}"));
        return $"{site.Path} repeated {(before ? "before" : "after")} itself as {Shorten(value)}";
    }

    private string Set(Site site, string rawJson)
    {
        var before = Text(site.Node);
        Replace(site, Raw(rawJson));
        return $"{site.Path} {before} → {Shorten(rawJson)}";
    }

    private static string Escaped(string text) => JsonSerializer.Serialize(text, Compact)[1..^1];
}
