using System.Text.Json;

namespace Tastebuds.Sandbox.Api;

/// How a list is laid out: `@attr` before or after the items (both occur), and whether a lone item
/// is written as an object instead of a one-element array (the legacy quirk).
internal readonly record struct ListShape(bool AttrFirst, bool LoneItemAsObject)
{
    public void Write<T>(
        Utf8JsonWriter w, string itemName, IReadOnlyList<T> items, int firstRank,
        Action<Utf8JsonWriter, T, int> item, Action<Utf8JsonWriter> attributes)
    {
        if (AttrFirst)
        {
            attributes(w);
        }

        if (LoneItemAsObject && items.Count == 1)
        {
            w.WritePropertyName(itemName);
            item(w, items[0], firstRank);
        }
        else
        {
            w.WriteStartArray(itemName);
            for (var i = 0; i < items.Count; i++)
            {
                item(w, items[i], firstRank + i);
            }

            w.WriteEndArray();
        }

        if (!AttrFirst)
        {
            attributes(w);
        }
    }

    public static Action<Utf8JsonWriter> Attributes(params (string Key, string Value)[] pairs) => w =>
    {
        w.WriteStartObject("@attr");
        foreach (var (key, value) in pairs)
        {
            w.WriteString(key, value);
        }

        w.WriteEndObject();
    };
}
