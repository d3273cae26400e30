using System.Text.RegularExpressions;
using Tastebuds.Tests.Ops;
using Tastebuds.Tests.Support;

namespace Tastebuds.Tests.Telemetry;

/// <summary>What Grafana puts in place of a dashboard's variables before it sends a query to Prometheus.</summary>
internal static partial class GrafanaVariables
{
    /// <summary>
    /// The template variables, each from its query on <paramref name="prometheus"/> with "All" selected, and the
    /// built-ins at their floor for a data source scraped every <paramref name="scrapeInterval"/>.
    /// </summary>
    public static async Task<Dictionary<string, string>> ValuesAsync(PrometheusServer prometheus, GrafanaDashboard dashboard, string scrapeInterval)
    {
        var seconds = int.Parse(scrapeInterval.TrimEnd('s'), System.Globalization.CultureInfo.InvariantCulture);
        // $__interval is never below the data source's scrape interval; $__rate_interval never below four of them.
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["__interval"] = scrapeInterval, ["__rate_interval"] = $"{4 * seconds}s", ["__range"] = "1h",
        };
        foreach (var variable in dashboard.Variables.Where(v => v.Type == "query"))
        {
            var match = LabelValues().Match(variable.Query);
            Assert.That(match.Success, Is.True, $"variable {variable.Name}: the test substitutes label_values(metric, label) only, not '{variable.Query}'");
            var answer = await prometheus.GetAsync(
                $"api/v1/label/{match.Groups["label"].Value}/values?match[]={Uri.EscapeDataString(match.Groups["selector"].Value)}");
            var found = answer.Data.EnumerateArray().Select(v => v.GetString()!).ToList();
            Assert.That(found, Is.Not.Empty, $"variable {variable.Name}: {variable.Query} has no values");
            // "All" of a multi-value variable: Grafana's regex of every value, each regex-escaped inside a PromQL string.
            values[variable.Name] = "(" + string.Join('|', found.Select(v => Regex.Escape(v).Replace(@"\", @"\\", StringComparison.Ordinal))) + ")";
        }

        return values;
    }

    public static string Substitute(string expression, Dictionary<string, string> variables) =>
        Variable().Replace(expression, m =>
        {
            var name = m.Groups["braced"].Success ? m.Groups["braced"].Value : m.Groups["plain"].Value;
            return variables.TryGetValue(name, out var value) ? value : m.Value;
        });

    public static bool HasVariable(string expression) => Variable().IsMatch(expression);

    [GeneratedRegex(@"^\s*label_values\(\s*(?<selector>.+?)\s*,\s*(?<label>\w+)\s*\)\s*$")]
    private static partial Regex LabelValues();

    [GeneratedRegex(@"\$\{(?<braced>\w+)(?::\w+)?\}|\$(?<plain>\w+)")]
    private static partial Regex Variable();
}
