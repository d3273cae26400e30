using System.Text.Json;

namespace Tastebuds.Tests.Ops;

/// <summary>
/// <c>ops/grafana/tastebuds-dashboard.json</c> as a test reads it: every panel that queries (those inside collapsed
/// rows too), each query with its legend, and the template variables.
/// </summary>
internal sealed record GrafanaDashboard(IReadOnlyList<GrafanaDashboard.Query> Queries, IReadOnlyList<GrafanaDashboard.Variable> Variables)
{
    public static GrafanaDashboard Load()
    {
        using var document = JsonDocument.Parse(RepositoryFiles.Read("ops", "grafana", "tastebuds-dashboard.json"));
        var root = document.RootElement;
        var queries = Panels(root.GetProperty("panels"))
            .Where(p => p.TryGetProperty("targets", out _))
            .SelectMany(p => p.GetProperty("targets").EnumerateArray().Select(t => new Query(
                p.GetProperty("title").GetString()!,
                t.GetProperty("expr").GetString()!,
                t.TryGetProperty("legendFormat", out var legend) ? legend.GetString() ?? "" : "")))
            .ToList();
        var variables = root.GetProperty("templating").GetProperty("list").EnumerateArray()
            .Select(v => new Variable(
                v.GetProperty("name").GetString()!,
                v.GetProperty("type").GetString()!,
                v.TryGetProperty("query", out var q) && q.ValueKind == JsonValueKind.String ? q.GetString()! : ""))
            .ToList();
        return new GrafanaDashboard(queries, variables);
    }

    private static IEnumerable<JsonElement> Panels(JsonElement panels)
    {
        foreach (var panel in panels.EnumerateArray())
        {
            yield return panel;
            if (panel.TryGetProperty("panels", out var nested))
            {
                foreach (var inner in Panels(nested))
                {
                    yield return inner;
                }
            }
        }
    }

    /// <summary>One target of a panel: its PromQL and its legend format (<c>{{label}}</c> placeholders).</summary>
    internal sealed record Query(string Panel, string Expression, string Legend);

    /// <summary>A template variable: name, type (<c>query</c>, <c>datasource</c>, ...) and its query when it has one.</summary>
    internal sealed record Variable(string Name, string Type, string Query);
}
