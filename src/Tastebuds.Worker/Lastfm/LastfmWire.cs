using System.Globalization;
using System.Text.Json;

namespace Tastebuds.Worker.Lastfm;

/// <summary>
/// Reading Last.fm's JSON as it really is: numbers as strings or numbers, values as strings or
/// <c>{"#text": …}</c> objects, a lone item as an object instead of an array, empty lists as
/// <c>[]</c>, a missing key or a whitespace string, <c>""</c> for unknown mbids.
/// </summary>
internal static class LastfmWire
{
    public static JsonElement Prop(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) ? value : default;

    /// <summary>A string, a number's text, or an object's <c>#text</c> (else <c>name</c>); null when absent.</summary>
    public static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.Object => Prop(value, "#text") is { ValueKind: not JsonValueKind.Undefined } text
            ? Text(text)
            : Text(Prop(value, "name")),
        _ => null,
    };

    public static string? Text(JsonElement obj, string name) => Text(Prop(obj, name));

    /// <summary>Like <see cref="Text(JsonElement, string)"/>, but blank becomes null.</summary>
    public static string? NonBlank(JsonElement obj, string name) =>
        Text(obj, name) is { } s && !string.IsNullOrWhiteSpace(s) ? s : null;

    public static string Required(JsonElement obj, string name, string what) =>
        Text(obj, name) ?? throw new JsonException($"{what} has no '{name}'.");

    public static long Long(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetInt64(out var n) => n,
        JsonValueKind.Number => (long)value.GetDouble(),
        JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
        JsonValueKind.Object => Long(Prop(value, "#text")),
        _ => 0,
    };

    public static long Long(JsonElement obj, string name) => Long(Prop(obj, name));

    public static int Int(JsonElement obj, string name) => (int)Math.Clamp(Long(obj, name), int.MinValue, int.MaxValue);

    /// <summary>Seconds since 1970 (string or number); null when absent or 0.</summary>
    public static DateTimeOffset? UnixTime(JsonElement value)
    {
        var seconds = Long(value);
        return seconds > 0 ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
    }

    /// <summary>The items of a list key: an array, a lone object, or nothing (missing, <c>[]</c>, <c>""</c>).</summary>
    public static ArrayOrOne Items(JsonElement container, string name) => new(Prop(container, name));

    /// <summary>The largest image with a URL (Last.fm lists them small to large; some lack <c>#text</c>).</summary>
    public static string? ImageUrl(JsonElement obj)
    {
        string? best = null;
        foreach (var image in Items(obj, "image"))
        {
            if (NonBlank(image, "#text") is { } url)
            {
                best = url;
            }
        }

        return best;
    }

    /// <summary>Paging from <c>@attr</c>, or from the container itself in the legacy shape.</summary>
    public static (int TotalPages, int Total) Paging(JsonElement container)
    {
        var attr = Prop(container, "@attr");
        var source = attr.ValueKind == JsonValueKind.Object ? attr : container;
        return (Int(source, "totalPages"), Int(source, "total"));
    }

    /// <summary>Allocation-free enumeration of "array or lone object".</summary>
    public readonly struct ArrayOrOne(JsonElement value)
    {
        public Enumerator GetEnumerator() => new(value);

        public struct Enumerator(JsonElement value)
        {
            private JsonElement.ArrayEnumerator _array = value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : default;
            private bool _single = value.ValueKind == JsonValueKind.Object;
            private bool _started;

            public JsonElement Current { get; private set; }

            public bool MoveNext()
            {
                if (value.ValueKind == JsonValueKind.Array)
                {
                    while (_array.MoveNext())
                    {
                        if (_array.Current.ValueKind == JsonValueKind.Object)
                        {
                            Current = _array.Current;
                            return true;
                        }
                    }

                    return false;
                }

                if (_single && !_started)
                {
                    _started = true;
                    Current = value;
                    return true;
                }

                return false;
            }
        }
    }
}
