using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Tastebuds.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Tastebuds.Tests.Ops;

/// <summary>
/// The alert rules and the scrape configuration in <c>ops/prometheus/</c> checked by Prometheus's own <c>promtool</c>, and
/// the rules' unit tests (<c>tastebuds-alerts.test.yaml</c>) run by it; without promtool these are skipped with the reason
/// (failed on CI). The coverage of the unit tests and the rate windows are checked without it.
/// </summary>
public sealed partial class PrometheusRulesTests
{
    [Test]
    public async Task Promtool_finds_the_alert_rules_valid()
    {
        var (code, output) = await PromtoolAsync("check", "rules", Ops("tastebuds-alerts.yaml"));
        Assert.That(code, Is.Zero, output);
        Assert.That(output, Does.Contain($"SUCCESS: {Alerts().Count} rules found"));
    }

    [Test]
    public async Task Promtool_finds_the_shipped_scrape_configuration_valid_with_the_alert_rules_it_loads()
    {
        var (code, output) = await PromtoolAsync("check", "config", Ops("prometheus.yml"));
        Assert.That(code, Is.Zero, output);
        Assert.That(output, Does.Contain("SUCCESS: 1 rule files found"));
    }

    [Test]
    public async Task Every_alert_passes_its_promtool_unit_tests()
    {
        var (code, output) = await PromtoolAsync("test", "rules", Ops("tastebuds-alerts.test.yaml"));
        Assert.That(code, Is.Zero, output);
        Assert.That(output, Does.Contain("SUCCESS"));
    }

    [Test]
    public void Every_alert_has_a_unit_test_where_it_fires_and_one_where_it_stays_silent()
    {
        var tests = RepositoryFiles.YamlDocuments("ops", "prometheus", "tastebuds-alerts.test.yaml").Single();
        var cases = tests.At("tests")!.AllNodes.OfType<YamlMappingNode>().Where(m => m.Text("alertname") is not null)
            .Select(m => (Alert: m.Text("alertname")!, Fires: m.At("exp_alerts") is YamlSequenceNode { Children.Count: > 0 }))
            .ToList();
        var alerts = Alerts();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(((YamlSequenceNode)tests.At("rule_files")!).Children.Select(n => ((YamlScalarNode)n).Value),
                Is.EqualTo(new[] { "tastebuds-alerts.yaml" }));
            Assert.That(alerts.Where(a => !cases.Contains((a, true))), Is.Empty, "alerts never shown to fire");
            Assert.That(alerts.Where(a => !cases.Contains((a, false))), Is.Empty, "alerts never shown to stay silent");
            Assert.That(cases.Select(c => c.Alert).Distinct().Except(alerts), Is.Empty, "unit tests of alerts that do not exist");
        }
    }

    [Test]
    public void Every_range_in_the_dashboard_and_the_alerts_spans_at_least_four_scrape_intervals_of_the_shipped_configuration()
    {
        var interval = Duration(RepositoryFiles.YamlDocuments("ops", "prometheus", "prometheus.yml").Single().Text("global", "scrape_interval")!);
        var expressions = GrafanaDashboard.Load().Queries.Select(q => (Where: $"panel '{q.Panel}'", q.Expression))
            .Concat(AlertRules().Select(r => (Where: $"alert {r.Text("alert")}", Expression: r.Text("expr")!)))
            .ToList();
        // rate() and increase() need two samples in the window; four intervals leave room for a missed scrape.
        // $__rate_interval is Grafana's, at least four scrape intervals of the data source by construction.
        var ranges = expressions.SelectMany(e => Range().Matches(e.Expression)
            .Select(m => (e.Where, Range: m.Groups[1].Value)))
            .Where(r => !r.Range.StartsWith('$'))
            .ToList();

        Assert.That(interval, Is.EqualTo(TimeSpan.FromSeconds(15)), "the interval docs/operations.md documents");
        Assert.That(ranges, Is.Not.Empty);
        Assert.That(ranges.Where(r => Duration(r.Range) < 4 * interval).Select(r => $"{r.Where}: [{r.Range}]"), Is.Empty);
    }

    private static List<YamlMappingNode> AlertRules() =>
        RepositoryFiles.YamlDocuments("ops", "prometheus", "tastebuds-alerts.yaml").Single()
            .At("groups")!.AllNodes.OfType<YamlMappingNode>().Where(m => m.Text("alert") is not null).ToList();

    private static List<string> Alerts() => AlertRules().Select(r => r.Text("alert")!).ToList();

    private static string Ops(string file) => RepositoryFiles.Path("ops", "prometheus", file);

    /// <summary>A Prometheus duration: units ms, s, m, h, d, w, y, one or several (<c>1h30m</c>).</summary>
    private static TimeSpan Duration(string text)
    {
        var parts = DurationPart().Matches(text);
        Assert.That(parts.Sum(p => p.Length), Is.EqualTo(text.Length), $"'{text}' is a Prometheus duration");
        return parts.Aggregate(TimeSpan.Zero, (sum, p) =>
        {
            var n = long.Parse(p.Groups[1].Value, CultureInfo.InvariantCulture);
            return sum + p.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(n), "s" => TimeSpan.FromSeconds(n), "m" => TimeSpan.FromMinutes(n),
                "h" => TimeSpan.FromHours(n), "d" => TimeSpan.FromDays(n), "w" => TimeSpan.FromDays(7 * n), _ => TimeSpan.FromDays(365 * n),
            };
        });
    }

    private static async Task<(int Code, string Output)> PromtoolAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(PrometheusBinaries.RequirePromtool())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryFiles.Root,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, $"promtool {string.Join(' ', arguments)}:\n{await stdout}{await stderr}");
    }

    /// <summary>The range of a range vector or a subquery (<c>[1h]</c>, <c>[1h:5m]</c>, <c>[$__rate_interval]</c>).</summary>
    [GeneratedRegex(@"\[\s*([^\]:\s]+)\s*(?::[^\]]*)?\]")]
    private static partial Regex Range();

    [GeneratedRegex(@"(\d+)(ms|s|m|h|d|w|y)")]
    private static partial Regex DurationPart();
}
