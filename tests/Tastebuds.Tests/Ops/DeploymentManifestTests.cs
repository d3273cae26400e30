using System.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Tastebuds.Tests.Ops;

/// <summary>The Kubernetes manifests parse, hang together, and run the worker the way docs/operations.md says.</summary>
public sealed class DeploymentManifestTests
{
    private static List<YamlMappingNode> Manifests() =>
        Directory.GetFiles(RepositoryFiles.Path("ops", "kubernetes"), "*.yaml")
            .Where(f => Path.GetFileName(f) != "kustomization.yaml")
            .SelectMany(f => RepositoryFiles.YamlDocuments("ops", "kubernetes", Path.GetFileName(f)))
            .ToList();

    private static YamlMappingNode Kind(string kind) => Manifests().Single(m => m.Text("kind") == kind);

    [Test]
    public void Every_manifest_parses_and_the_kustomization_lists_them_all()
    {
        var kustomization = RepositoryFiles.YamlDocuments("ops", "kubernetes", "kustomization.yaml").Single();
        var listed = ((YamlSequenceNode)kustomization.At("resources")!).Children.Select(c => ((YamlScalarNode)c).Value).ToList();
        var files = Directory.GetFiles(RepositoryFiles.Path("ops", "kubernetes"), "*.yaml").Select(Path.GetFileName)
            .Where(f => f != "kustomization.yaml");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(listed, Is.EquivalentTo(files));
            Assert.That(Manifests().Select(m => m.Text("kind")), Is.EquivalentTo(new[]
            {
                "Namespace", "ConfigMap", "Secret", "Deployment", "Service", "PodDisruptionBudget",
            }));
            Assert.That(Manifests().Where(m => m.Text("apiVersion") is null || m.Text("metadata", "name") is null), Is.Empty);
        }
    }

    [Test]
    public void The_deployment_probes_the_health_endpoints_and_runs_locked_down_with_resource_limits()
    {
        var pod = Kind("Deployment").At("spec", "template", "spec")!;
        var container = pod.At("containers", "0")!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Kind("Deployment").Text("spec", "replicas"), Is.EqualTo("1"));
            Assert.That(container.Text("livenessProbe", "httpGet", "path"), Is.EqualTo("/health/live"));
            Assert.That(container.Text("readinessProbe", "httpGet", "path"), Is.EqualTo("/health/ready"));
            Assert.That(container.Text("ports", "0", "containerPort"), Is.EqualTo("9464"));
            Assert.That(container.Text("livenessProbe", "httpGet", "port"), Is.EqualTo(container.Text("ports", "0", "name")));
            Assert.That(container.Text("resources", "requests", "cpu"), Is.Not.Null);
            Assert.That(container.Text("resources", "requests", "memory"), Is.Not.Null);
            Assert.That(container.Text("resources", "limits", "memory"), Is.Not.Null);
            Assert.That(container.Text("resources", "limits", "cpu"), Is.Not.Null);
            Assert.That(pod.Text("securityContext", "runAsNonRoot"), Is.EqualTo("true"));
            Assert.That(container.Text("securityContext", "readOnlyRootFilesystem"), Is.EqualTo("true"));
            Assert.That(container.Text("securityContext", "allowPrivilegeEscalation"), Is.EqualTo("false"));
            Assert.That(container.Text("securityContext", "capabilities", "drop", "0"), Is.EqualTo("ALL"));
            Assert.That(container.Text("volumeMounts", "0", "mountPath"), Is.EqualTo("/tmp"));
            Assert.That(pod.At("volumes", "0", "emptyDir"), Is.Not.Null);
            Assert.That(int.Parse(pod.Text("terminationGracePeriodSeconds")!, System.Globalization.CultureInfo.InvariantCulture),
                Is.GreaterThan(30), "above Shutdown:GracePeriod");
        }
    }

    [Test]
    public void The_memory_limit_leaves_the_garbage_collector_a_heap_for_the_largest_100000_user_stage()
    {
        // A stage's peak resident set at 100,000 users: 1,822 MiB (the similarity stage; docs/operations.md "Memory").
        // In a container the .NET GC caps its heap at 75 % of the memory limit: under 1Gi that stage failed with
        // OutOfMemoryException.
        const long peak = 1_822L << 20;
        var container = Kind("Deployment").At("spec", "template", "spec", "containers", "0")!;
        var limit = Quantity(container.Text("resources", "limits", "memory")!);
        var request = Quantity(container.Text("resources", "requests", "memory")!);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(limit * 3 / 4, Is.GreaterThanOrEqualTo(peak), "the GC's heap under the limit");
            Assert.That(request, Is.GreaterThanOrEqualTo(peak), "the request: the node must have room for a stage's peak");
            Assert.That(request, Is.LessThanOrEqualTo(limit));
        }
    }

    /// <summary>A Kubernetes memory quantity in bytes: a number with an optional Ki/Mi/Gi/Ti or k/M/G/T suffix.</summary>
    private static long Quantity(string text)
    {
        string[] binary = ["Ki", "Mi", "Gi", "Ti"], decimalUnits = ["k", "M", "G", "T"];
        for (var n = 0; n < binary.Length; n++)
        {
            if (text.EndsWith(binary[n], StringComparison.Ordinal))
            {
                return (long)(double.Parse(text[..^2], System.Globalization.CultureInfo.InvariantCulture) * Math.Pow(1024, n + 1));
            }

            if (text.EndsWith(decimalUnits[n], StringComparison.Ordinal))
            {
                return (long)(double.Parse(text[..^1], System.Globalization.CultureInfo.InvariantCulture) * Math.Pow(1000, n + 1));
            }
        }

        return long.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
    }

    [Test]
    public void The_worker_reads_its_settings_from_the_config_map_and_its_secrets_from_the_secret()
    {
        var container = Kind("Deployment").At("spec", "template", "spec", "containers", "0")!;
        var secret = Kind("Secret").At("stringData") as YamlMappingNode;
        var config = Kind("ConfigMap").At("data") as YamlMappingNode;
        var service = Kind("Service");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(container.Text("envFrom", "0", "configMapRef", "name"), Is.EqualTo(Kind("ConfigMap").Text("metadata", "name")));
            Assert.That(container.Text("envFrom", "1", "secretRef", "name"), Is.EqualTo(Kind("Secret").Text("metadata", "name")));
            Assert.That(secret!.Children.Keys.Select(k => ((YamlScalarNode)k).Value), Is.EquivalentTo(new[] { "Lastfm__ApiKey", "ConnectionStrings__Postgres" }));
            Assert.That(config!.Children.Keys.Select(k => ((YamlScalarNode)k).Value), Has.None.Contains("ApiKey").And.None.StartsWith("ConnectionStrings"));
            Assert.That(service.Text("metadata", "annotations", "prometheus.io/scrape"), Is.EqualTo("true"));
            Assert.That(service.Text("metadata", "annotations", "prometheus.io/port"), Is.EqualTo("9464"));
            Assert.That(Kind("PodDisruptionBudget").Text("spec", "selector", "matchLabels", "app.kubernetes.io/name"), Is.EqualTo("tastebuds"));
        }
    }

    [Test]
    public async Task Kustomize_builds_the_manifests_when_kubectl_is_installed()
    {
        if (!OnPath("kubectl"))
        {
            Assert.Ignore("kubectl is not installed: the kustomize build is not checked (the YAML is still parsed by the other tests).");
        }

        var (code, output) = await RunAsync("kubectl", "kustomize", RepositoryFiles.Path("ops", "kubernetes"));
        Assert.That(code, Is.Zero, output);
    }

    internal static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, tool)));

    internal static async Task<(int Code, string Output)> RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
