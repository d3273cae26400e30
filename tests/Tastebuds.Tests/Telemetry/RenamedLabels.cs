using System.Text.RegularExpressions;
using Tastebuds.Tests.Ops;
using Tastebuds.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Tastebuds.Tests.Telemetry;

/// <summary>
/// Worker tags that collide with a target label (<c>job</c>) reach Prometheus renamed <c>exported_job</c>
/// (<c>honor_labels: false</c>, the default). A dashboard or an alert that matches, groups or names such a tag by its
/// plain name silently gets the scrape target's label instead.
/// </summary>
internal static partial class RenamedLabels
{
    public static async Task<IEnumerable<string>> ProblemsAsync(PrometheusServer prometheus, GrafanaDashboard dashboard, IEnumerable<YamlMappingNode> alerts)
    {
        var renamed = await RenamedAsync(prometheus);
        return dashboard.Queries
            .Select(q => (Where: $"panel '{q.Panel}': {q.Expression}", Labels: Used(q.Expression).Concat(Legend(q.Legend))))
            .Concat(alerts.Select(a => (Where: $"alert {a.Text("alert")}: {a.Text("expr")}",
                Labels: Used(a.Text("expr")!).Concat(Templates(a)))))
            .SelectMany(u => u.Labels.Intersect(renamed).Select(l => $"{u.Where}: uses '{l}', which Prometheus renamed exported_{l} on the worker's series"))
            .ToList();
    }

    /// <summary>The labels a legend format names (<c>{{label}}</c>).</summary>
    public static IEnumerable<string> Legend(string legend) => LegendLabel().Matches(legend).Select(m => m.Groups[1].Value).Distinct();

    /// <summary>Labels an expression matches on a Tastebuds metric, or groups by (by, without, on, ignoring).</summary>
    private static IEnumerable<string> Used(string expression) =>
        TastebudsMatchers().Matches(expression).SelectMany(m => MatcherLabel().Matches(m.Groups[1].Value).Select(l => l.Groups[1].Value))
            .Concat(expression.Contains("tastebuds_", StringComparison.Ordinal)
                ? LabelList().Matches(expression).SelectMany(m => m.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                : [])
            .Distinct();

    /// <summary>The labels a rule's annotations and labels name (<c>{{ $labels.x }}</c>).</summary>
    private static IEnumerable<string> Templates(YamlMappingNode rule) =>
        TemplateLabel().Matches(string.Join('\n', rule.AllNodes.OfType<YamlScalarNode>().Select(n => n.Value))).Select(m => m.Groups[1].Value);

    private static async Task<HashSet<string>> RenamedAsync(PrometheusServer prometheus)
    {
        var answer = await prometheus.GetAsync($"api/v1/labels?match[]={Uri.EscapeDataString("{__name__=~\"tastebuds_.*\"}")}");
        Assert.That(answer.Success, Is.True, answer.Error);
        return answer.Data.EnumerateArray().Select(n => n.GetString()!)
            .Where(n => n.StartsWith("exported_", StringComparison.Ordinal)).Select(n => n["exported_".Length..]).ToHashSet(StringComparer.Ordinal);
    }

    [GeneratedRegex(@"\{\{\s*(\w+)\s*\}\}")]
    private static partial Regex LegendLabel();

    [GeneratedRegex(@"\$labels\.(\w+)")]
    private static partial Regex TemplateLabel();

    [GeneratedRegex(@"tastebuds_[a-z0-9_]+\s*\{([^}]*)\}")]
    private static partial Regex TastebudsMatchers();

    [GeneratedRegex(@"(\w+)\s*(?:=~|!~|!=|=)")]
    private static partial Regex MatcherLabel();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring)\s*\(([^)]*)\)")]
    private static partial Regex LabelList();
}
