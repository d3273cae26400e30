using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Tastebuds.Worker.Lastfm;

/// <summary>
/// Reading Last.fm's JSON as it really is: numbers as strings or numbers, values as strings or
/// <c>{"#text": …}</c> objects, a lone item as an object instead of an array, empty lists as
/// <c>[]</c>, a missing key or a whitespace string, <c>""</c> for unknown mbids. And dirty: a lone
/// surrogate escape (<c>"\ud800"</c>) or a byte that is not UTF-8 becomes U+FFFD and NUL characters are removed
/// (PostgreSQL text holds neither); a count that is not a number reads as null; a timestamp outside 2002 (Last.fm's first year)
/// to tomorrow reads as null.
/// </summary>
internal static class LastfmWire
{
    /// <summary>Audioscrobbler, Last.fm's origin, started in 2002: no scrobble, love or registration is older.</summary>
    public static readonly DateTimeOffset EarliestTimestamp = new(2002, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static JsonElement Prop(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) ? value : default;

    /// <summary>A string, a number's text, or an object's <c>#text</c> (else <c>name</c>); null when absent.</summary>
    public static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => CleanString(value),
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

    /// <summary>A whole number (string or number), clamped into long; 0 when absent or not a number.</summary>
    public static long Long(JsonElement value) => Count(value) ?? 0;

    public static long Long(JsonElement obj, string name) => Long(Prop(obj, name));

    public static int Int(JsonElement obj, string name) => (int)Math.Clamp(Long(obj, name), int.MinValue, int.MaxValue);

    /// <summary>
    /// A count as sent: a number or a numeric string (<c>"12"</c>, <c>1e30</c>, <c>"99999999999999999999"</c>),
    /// saturated into long; null when absent or not a number (<c>"lots"</c>, <c>NaN</c>). Bounds are the caller's.
    /// </summary>
    public static long? Count(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Number:
                return value.TryGetInt64(out var whole) ? whole : Saturate(value.GetDouble());
            case JsonValueKind.String:
                var text = CleanString(value)?.Trim();
                if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
                {
                    return parsed;
                }

                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real)
                    ? Saturate(real)
                    : null;
            case JsonValueKind.Object:
                return Count(Prop(value, "#text"));
            default:
                return null;
        }
    }

    public static long? Count(JsonElement obj, string name) => Count(Prop(obj, name));

    private static long Saturate(double value) =>
        value >= long.MaxValue ? long.MaxValue : value <= long.MinValue ? long.MinValue : (long)Math.Truncate(value);

    /// <summary>Seconds since 1970 (string or number); null when absent, 0, or outside 2002 to tomorrow.</summary>
    public static DateTimeOffset? UnixTime(JsonElement value)
    {
        var seconds = Count(value);
        var latest = TimeProvider.System.GetUtcNow().AddDays(1);
        return seconds >= EarliestTimestamp.ToUnixTimeSeconds() && seconds <= latest.ToUnixTimeSeconds()
            ? DateTimeOffset.FromUnixTimeSeconds(seconds.Value)
            : null;
    }

    /// <summary>
    /// A string value, made storable: <see cref="JsonElement.GetString"/> refuses a lone surrogate escape and bytes that
    /// are not UTF-8 (which the reader lets through inside strings), so such a value is decoded and unescaped here with
    /// U+FFFD in their place; NUL characters are removed.
    /// </summary>
    private static string? CleanString(JsonElement value)
    {
        string text;
        try
        {
            text = value.GetString() ?? string.Empty;
        }
        catch (InvalidOperationException)
        {
            // Not GetRawText: it transcodes the same bytes and throws again on invalid UTF-8.
            return JsonStringRepair.FromRawUtf8(JsonMarshal.GetRawUtf8Value(value));
        }

        return JsonStringRepair.Storable(text);
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

    /// <summary>Paging and the user the list is for, from <c>@attr</c>, or from the container itself in the legacy shape.</summary>
    public static (int TotalPages, int Total, string? User) Paging(JsonElement container)
    {
        var attr = Prop(container, "@attr");
        var source = attr.ValueKind == JsonValueKind.Object ? attr : container;
        return (Int(source, "totalPages"), Int(source, "total"), NonBlank(source, "user"));
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
