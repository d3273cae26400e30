using System.Globalization;
using System.Text.Json;

namespace Tastebuds.Worker.Recommendations;

/// <summary>
/// The rendered <c>explanation</c> jsonb (sql/0009, docs/algorithms.md "Explanations") as short phrases people read,
/// largest reason first: a hybrid's component shares as one phrase ("als 62% + rp3beta 38%"), then each neighbour
/// ("lunar_echo (0.20, 12 plays, loved)"), item ("because you play Stargazers by Nightwish", with "(similarity 0.41)" for
/// item-kNN),
/// friend or tag.
/// </summary>
public static class ExplanationText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static IReadOnlyList<string> Reasons(JsonElement explanation)
    {
        var reasons = new List<string>();
        var components = List(explanation, "components")
            .Select(c => string.Create(Invariant, $"{Text(c, "method")} {Number(c, "share"):0%}")).ToList();
        if (components.Count > 0)
        {
            reasons.Add(string.Join(" + ", components));
        }

        reasons.AddRange(List(explanation, "neighbours").Select(n => string.Create(Invariant,
            $"{Text(n, "username")} ({Number(n, "similarity"):0.00}, {Number(n, "play_count"):0} plays{(Flag(n, "loved") ? ", loved" : string.Empty)})")));
        // The weight of an item reason is a similarity only for item-kNN (RP3beta's walk probability and iALS's history
        // weight are not on a scale people read).
        var similarities = Text(explanation, "metric") == "item-knn";
        reasons.AddRange(List(explanation, "items").Select(i => similarities
            ? string.Create(Invariant, $"because you play {Text(i, "track")} by {Text(i, "artist")} (similarity {Number(i, "similarity"):0.00})")
            : $"because you play {Text(i, "track")} by {Text(i, "artist")}"));
        reasons.AddRange(List(explanation, "friends").Select(f => $"your friend {Text(f, "username")} plays it"));
        // A tag reason names its tag (sql/0014); one stored before tags were registered has none.
        reasons.AddRange(List(explanation, "tags").Select(t => Text(t, "tag") is var tag && tag != "?"
            ? $"tagged \"{tag}\" like what you play"
            : "tagged like what you play"));
        return reasons;
    }

    private static JsonElement[] List(JsonElement root, string name) =>
        root.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array ? [.. list.EnumerateArray()] : [];

    private static string Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() ?? "?" : "?";

    private static double Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : 0;

    private static bool Flag(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;
}
