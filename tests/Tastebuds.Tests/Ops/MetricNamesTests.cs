using System.Text.Json;
using System.Text.RegularExpressions;
using Tastebuds.Worker.Telemetry;
using YamlDotNet.RepresentationModel;

namespace Tastebuds.Tests.Ops;

/// <summary>The dashboard, the alerts and the operations guide name only metrics the worker exports.</summary>
public sealed partial class MetricNamesTests
{
    private static readonly HashSet<string> Exported =
        TastebudsInstruments.All.SelectMany(i => i.PrometheusSeries).ToHashSet(StringComparer.Ordinal);

    [Test]
    public void Every_metric_the_Grafana_dashboard_queries_is_a_documented_Tastebuds_instrument()
    {
        using var dashboard = JsonDocument.Parse(RepositoryFiles.Read("ops", "grafana", "tastebuds-dashboard.json"));
        var panels = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .Where(p => p.GetProperty("type").GetString() != "row").ToList();
        var expressions = panels.SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .Select(t => t.GetProperty("expr").GetString()!).ToList();
        var variables = dashboard.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray()
            .Select(v => v.TryGetProperty("query", out var q) && q.ValueKind == JsonValueKind.String ? q.GetString()! : "");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(panels, Has.Count.GreaterThanOrEqualTo(10));
            Assert.That(panels.Where(p => !p.GetProperty("targets").EnumerateArray()
                    .Any(t => MetricNames(t.GetProperty("expr").GetString()!).Any())).Select(p => p.GetProperty("title").GetString()),
                Is.Empty, "panels that query no Tastebuds metric");
            Assert.That(expressions.Concat(variables).SelectMany(MetricNames).Where(n => !Exported.Contains(n)).Distinct(), Is.Empty);
        }
    }

    [Test]
    public void Every_metric_the_alert_rules_use_is_a_documented_Tastebuds_instrument_and_every_rule_is_complete()
    {
        var rules = RepositoryFiles.YamlDocuments("ops", "prometheus", "tastebuds-alerts.yaml").Single()
            .At("groups")!.AllNodes.OfType<YamlMappingNode>().Where(m => m.Text("alert") is not null).ToList();
        var expressions = rules.Select(r => r.Text("expr")!).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(rules.Select(r => r.Text("alert")), Is.SupersetOf(new[]
            {
                "TastebudsDown", "TastebudsNotReady", "TastebudsUserFetchFailures", "TastebudsLastfmRateLimited",
                "TastebudsJobFailing", "TastebudsRecommendationsStale",
            }));
            Assert.That(rules.Where(r => r.Text("labels", "severity") is null || r.Text("annotations", "summary") is null)
                .Select(r => r.Text("alert")), Is.Empty, "rules without severity or summary");
            Assert.That(expressions.SelectMany(MetricNames).Where(n => !Exported.Contains(n)).Distinct(), Is.Empty);
            Assert.That(expressions, Has.Some.Contains("error_code=\"29\""));
            Assert.That(expressions, Has.Some.Contains("tastebuds_job_last_success_age_seconds{exported_job=\"generate_recommendations\"}"));
        }
    }

    [Test]
    public void The_operations_guide_documents_every_instrument_with_its_Prometheus_name()
    {
        var guide = RepositoryFiles.Read("docs", "operations.md");
        var missing = TastebudsInstruments.All
            .Where(i => !guide.Contains($"`{i.Name}`", StringComparison.Ordinal) || !guide.Contains($"`{i.PrometheusName}", StringComparison.Ordinal))
            .Select(i => i.Name);
        Assert.That(missing, Is.Empty);
    }

    private static IEnumerable<string> MetricNames(string expression) =>
        TastebudsName().Matches(expression).Select(m => m.Value);

    [GeneratedRegex(@"\btastebuds_[a-z0-9_]+\b")]
    private static partial Regex TastebudsName();
}
