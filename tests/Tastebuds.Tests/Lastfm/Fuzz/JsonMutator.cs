using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tastebuds.Tests.Lastfm.Fuzz;

/// <summary>One mutated body and what was done to it (kinds for the tally, operations for a failure message).</summary>
internal sealed record FuzzCase(int Index, int Seed, FuzzBody Body, byte[] Bytes, IReadOnlyList<string> Kinds, IReadOnlyList<string> Operations)
{
    public string Describe() => $"case {Index} (case seed {Seed}) of {Body.File}, {Bytes.Length} bytes: {string.Join("; ", Operations)}";
}

/// <summary>
/// Mutates a recorded body at the JSON level (parsed with System.Text.Json.Nodes, changed, written out) and then,
/// for some cases, at the byte level (<see cref="RawMutations"/>). Values System.Text.Json cannot write go in as
/// placeholders that are swapped for raw text after writing. Deterministic for a given seed.
/// </summary>
internal sealed partial class JsonMutator
{
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonSerializerOptions Indented = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = true };

    private static readonly HashSet<string> Interesting =
    [
        "name", "playcount", "mbid", "url", "#text", "uts", "unixtime", "rank", "@attr", "artist", "album", "date", "registered", "count",
        "realname", "country", "user", "totalPages", "total", "page", "perPage", "for", "track", "tag", "recenttrack", "nowplaying",
        "tracks", "albums", "artists", "user", "toptracks", "topalbums", "topartists", "lovedtracks", "toptags", "friends", "recenttracks",
        "taggings",
    ];

    private readonly Random _random;
    private readonly IReadOnlyList<JsonNode> _foreignItems;
    private readonly List<string> _raw = [];
    private readonly List<string> _kinds = [];
    private readonly List<string> _operations = [];
    private JsonNode? _root;

    private JsonMutator(Random random, JsonNode? root, IReadOnlyList<JsonNode> foreignItems)
    {
        _random = random;
        _root = root;
        _foreignItems = foreignItems;
    }

    /// <summary>Case <paramref name="index"/> of a run: its seed comes from the run's seed and the index alone.</summary>
    public static FuzzCase Create(int runSeed, int index, FuzzBody body, IReadOnlyList<JsonNode> foreignItems)
    {
        // Not HashCode.Combine: it is seeded per process, and a case must come out the same in every run.
        var seed = unchecked((runSeed * 1_000_003) + index) & int.MaxValue;
        var random = new Random(seed);
        var mutator = new JsonMutator(random, ParseNode(body.Bytes), foreignItems);
        var count = random.Next(100) switch { < 55 => 1, < 80 => 2, < 92 => 3, _ => 4 + random.Next(2) };
        var raw = new List<Func<Random, byte[], (byte[], string)>>();
        for (var i = 0; i < count; i++)
        {
            var (kind, apply, rawOp) = Pick(random);
            mutator._kinds.Add(kind);
            if (rawOp is not null)
            {
                raw.Add(rawOp);
            }
            else
            {
                mutator._operations.Add(kind + ": " + apply!(mutator));
            }
        }

        var bytes = mutator._operations.Count == 0 ? body.Bytes : mutator.Write(body.Bytes.AsSpan().StartsWith(RawMutations.Bom));
        foreach (var op in raw)
        {
            (bytes, var what) = op(random, bytes);
            mutator._operations.Add(what);
        }

        return new FuzzCase(index, seed, body, bytes, mutator._kinds, mutator._operations);
    }

    /// <summary>Every list item of the recordings (tracks, albums, artists, users, tags), for items put where they do not belong.</summary>
    public static IReadOnlyList<JsonNode> ListItems(IEnumerable<FuzzBody> bodies) =>
        [.. bodies.SelectMany(b => Sites(ParseNode(b.Bytes)))
            .Where(s => s.IsListItem)
            .Select(s => s.Node!)];

    private static JsonNode? ParseNode(byte[] bytes) => JsonNode.Parse(bytes.AsSpan().StartsWith(RawMutations.Bom) ? bytes[3..] : bytes);

    private byte[] Write(bool bom)
    {
        var bytes = Encoding.UTF8.GetBytes(WithRaw(_root is null ? "null" : _root.ToJsonString(_random.Next(5) == 0 ? Indented : Compact)));
        return bom ? [.. RawMutations.Bom, .. bytes] : bytes;
    }

    /// <summary>JSON text with its placeholders replaced; later raw values may hold earlier ones (a duplicated key's object).</summary>
    private string WithRaw(string json)
    {
        for (var i = _raw.Count - 1; i >= 0 && json.Contains("@@RAW", StringComparison.Ordinal); i--)
        {
            json = json.Replace($"\"{Placeholder(i)}\"", _raw[i], StringComparison.Ordinal);
        }

        return json;
    }

    private static string Placeholder(int i) => $"@@RAW{i}@@";

    private static bool IsPlaceholder(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) && s.StartsWith("@@RAW", StringComparison.Ordinal);

    /// <summary>A node that is written as <paramref name="rawJson"/>.</summary>
    private JsonValue Raw(string rawJson)
    {
        _raw.Add(rawJson);
        return JsonValue.Create(Placeholder(_raw.Count - 1));
    }

    private string Text(JsonNode? node) => node is null ? "null" : Shorten(WithRaw(node.ToJsonString(Compact)));

    /// <summary>At most 60 characters, never half a surrogate pair: descriptions end up in test reports.</summary>
    private static string Shorten(string text) =>
        text.Length <= 60 ? text : text[..(char.IsHighSurrogate(text[59]) ? 59 : 60)] + $"…({text.Length} chars)";

    private T One<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];
}
