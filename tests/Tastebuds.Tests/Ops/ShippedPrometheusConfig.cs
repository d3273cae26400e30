using YamlDotNet.RepresentationModel;

namespace Tastebuds.Tests.Ops;

/// <summary>
/// <c>ops/prometheus/prometheus.yml</c> as shipped, pointed at a test's worker: its scrape job and rule files kept,
/// the target, the intervals and the rule files' folder replaced.
/// </summary>
internal static class ShippedPrometheusConfig
{
    public static string For(string target, string interval)
    {
        var config = RepositoryFiles.YamlDocuments("ops", "prometheus", "prometheus.yml").Single();
        var global = (YamlMappingNode)config.At("global")!;
        global.Children[new YamlScalarNode("scrape_interval")] = new YamlScalarNode(interval);
        global.Children[new YamlScalarNode("evaluation_interval")] = new YamlScalarNode(interval);
        // Rule files are relative to the configuration's folder, which is the test's temporary one.
        var rules = (YamlSequenceNode)config.At("rule_files")!;
        var absolute = rules.Children.Select(r => (YamlNode)new YamlScalarNode(
            RepositoryFiles.Path("ops", "prometheus", ((YamlScalarNode)r).Value!))).ToList();
        config.Children[new YamlScalarNode("rule_files")] = new YamlSequenceNode(absolute);
        var jobs = ((YamlSequenceNode)config.At("scrape_configs")!).Children.Cast<YamlMappingNode>().ToList();
        Assert.That(jobs, Has.Count.EqualTo(1), "ops/prometheus/prometheus.yml scrapes one job");
        jobs[0].Children[new YamlScalarNode("static_configs")] = new YamlSequenceNode(
            new YamlMappingNode(new YamlScalarNode("targets"), new YamlSequenceNode(new YamlScalarNode(target))));

        using var text = new StringWriter();
        new YamlStream(new YamlDocument(config)).Save(text, assignAnchors: false);
        return text.ToString();
    }
}
