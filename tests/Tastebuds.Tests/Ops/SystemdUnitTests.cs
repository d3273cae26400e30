namespace Tastebuds.Tests.Ops;

/// <summary>The systemd unit: its keys (parsed as INI) and, where systemd-analyze exists, systemd's own verdict.</summary>
public sealed class SystemdUnitTests
{
    private static Dictionary<string, Dictionary<string, List<string>>> Unit()
    {
        var sections = new Dictionary<string, Dictionary<string, List<string>>>(StringComparer.Ordinal);
        Dictionary<string, List<string>>? current = null;
        foreach (var raw in RepositoryFiles.Read("ops", "systemd", "tastebuds.service").Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith(';'))
            {
                continue;
            }

            if (line.StartsWith('['))
            {
                current = sections[line.Trim('[', ']')] = new Dictionary<string, List<string>>(StringComparer.Ordinal);
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            Assert.That(current, Is.Not.Null, $"key outside a section: {line}");
            Assert.That(equals, Is.GreaterThan(0), $"not a key=value line: {line}");
            var key = line[..equals];
            if (!current!.TryGetValue(key, out var values))
            {
                current[key] = values = [];
            }

            values.Add(line[(equals + 1)..]);
        }

        return sections;
    }

    [Test]
    public void The_unit_is_a_hardened_notify_service_that_restarts_on_failure_and_reads_its_secrets_from_an_environment_file()
    {
        var service = Unit()["Service"];
        string One(string key) => service.TryGetValue(key, out var v) ? v[^1] : "(absent)";

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Unit().Keys, Is.EquivalentTo(new[] { "Unit", "Service", "Install" }));
            Assert.That(One("Type"), Is.EqualTo("notify"));
            Assert.That(One("Restart"), Is.EqualTo("on-failure"));
            Assert.That(One("RestartSec"), Is.Not.EqualTo("(absent)"));
            Assert.That(One("User"), Is.EqualTo("tastebuds"));
            Assert.That(One("Group"), Is.EqualTo("tastebuds"));
            Assert.That(One("ProtectSystem"), Is.EqualTo("strict"));
            Assert.That(One("ProtectHome"), Is.EqualTo("true"));
            Assert.That(One("NoNewPrivileges"), Is.EqualTo("true"));
            Assert.That(One("PrivateTmp"), Is.EqualTo("true"));
            Assert.That(One("ReadWritePaths"), Is.EqualTo("/var/lib/tastebuds"));
            Assert.That(One("EnvironmentFile"), Is.EqualTo("/etc/tastebuds/tastebuds.env"));
            Assert.That(One("ExecStart"), Does.EndWith("/Tastebuds.Worker"));
            Assert.That(One("TimeoutStopSec"), Is.EqualTo("45s"), "a bit above Shutdown:GracePeriod (30 s)");
            Assert.That(Unit()["Install"]["WantedBy"], Is.EqualTo(new[] { "multi-user.target" }));
        }
    }

    [Test]
    public void The_example_environment_file_names_the_secrets_the_unit_expects()
    {
        var env = RepositoryFiles.Read("ops", "systemd", "tastebuds.env.example");
        Assert.That(env, Does.Contain("\nLastfm__ApiKey=").And.Contain("\nConnectionStrings__Postgres="));
    }

    [Test]
    public async Task Systemd_analyze_verify_accepts_the_unit_or_the_test_is_ignored_when_systemd_analyze_is_absent()
    {
        if (!DeploymentManifestTests.OnPath("systemd-analyze"))
        {
            Assert.Ignore("systemd-analyze is not installed: the unit's keys are still checked by the INI test above.");
        }

        // The published binary does not exist here: verify a copy whose ExecStart is an executable that does.
        var copy = Path.Combine(Path.GetTempPath(), $"tastebuds-{Guid.NewGuid():N}"[..20] + ".service");
        var text = string.Join('\n', RepositoryFiles.Read("ops", "systemd", "tastebuds.service").Split('\n')
            .Select(l => l.StartsWith("ExecStart=", StringComparison.Ordinal) ? "ExecStart=/bin/true" : l));
        await File.WriteAllTextAsync(copy, text);
        try
        {
            var (code, output) = await DeploymentManifestTests.RunAsync("systemd-analyze", "verify", copy);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(code, Is.Zero, output);
                Assert.That(output, Does.Not.Contain("Unknown").And.Not.Contain("ignoring"), output);
            }
        }
        finally
        {
            File.Delete(copy);
        }
    }
}
