using System.Diagnostics;
using Tastebuds.Sandbox;
using Tastebuds.Sandbox.Faults;

namespace Tastebuds.Tests.Sandbox;

/// How hostile faults are asked for: the --fault value, the options' validation, the sandbox binary's exit code.
public sealed class SandboxHostileFaultOptionTests
{
    [TestCase("impostor@mallory=victim", HostileFaultKind.Impostor, "mallory", "victim")]
    [TestCase("repeating-pages@bob", HostileFaultKind.RepeatingPages, "bob", null)]
    [TestCase("absurd-numbers", HostileFaultKind.AbsurdNumbers, null, null)]
    [TestCase("dirty-text", HostileFaultKind.DirtyText, null, null)]
    [TestCase("Absurd-Timestamps@Eve", HostileFaultKind.AbsurdTimestamps, "Eve", null)]
    [TestCase("redirect-off-host", HostileFaultKind.RedirectOffHost, null, null)]
    [TestCase("echoing-errors@x_y-z", HostileFaultKind.EchoingErrors, "x_y-z", null)]
    [TestCase("impostor=victim", HostileFaultKind.Impostor, null, "victim")]
    public void The_fault_option_reads_kind_user_and_argument(string text, HostileFaultKind kind, string? user, string? argument)
    {
        var parsed = HostileFaultParser.TryParse(text, out var fault, out var error);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(parsed, Is.True, error);
            Assert.That(fault, Is.EqualTo(new HostileFault(kind, user, argument)));
        }
    }

    [TestCase("bogus")]
    [TestCase("repeating_pages@bob")]
    [TestCase("impostor@mallory")]
    [TestCase("impostor@mallory=")]
    [TestCase("dirty-text=loud")]
    [TestCase("absurd-numbers@")]
    [TestCase("@bob")]
    [TestCase("")]
    public void A_bad_fault_value_is_refused_with_its_value_and_the_valid_kinds(string text)
    {
        var parsed = HostileFaultParser.TryParse(text, out var fault, out var error);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(parsed, Is.False);
            Assert.That(fault, Is.Null);
            Assert.That(error, Does.Contain($"'{text}'"));
            foreach (var name in new[] { "impostor", "repeating-pages", "absurd-numbers", "dirty-text", "absurd-timestamps", "redirect-off-host", "echoing-errors" })
            {
                Assert.That(error, Does.Contain(name));
            }
        }
    }

    [Test]
    public void Options_refuse_an_impostor_without_a_victim_and_an_argument_where_none_is_taken()
    {
        var options = new SandboxOptions
        {
            World = SandboxHttp.World.Value,
            HostileFaults = [new HostileFault(HostileFaultKind.Impostor, "mallory"), new HostileFault(HostileFaultKind.DirtyText, Argument: "x"), new HostileFault(HostileFaultKind.EchoingErrors)],
        };

        using (Assert.EnterMultipleScope())
        {
            Assert.That(options.Validate(), Has.Count.EqualTo(2));
            Assert.That(options.Validate(), Has.Some.Contains("HostileFaults[0]").And.Some.Contains("HostileFaults[1]"));
            Assert.ThrowsAsync<ArgumentException>(() => SandboxServer.StartAsync(options));
            Assert.That(new SandboxOptions().HostileFaults, Is.Empty);
        }
    }

    [Test]
    public async Task The_sandbox_binary_exits_2_on_a_bad_fault_and_names_it()
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "Tastebuds.Sandbox"))
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var argument in new[] { "--port", "0", "--fault", "dirty-text", "--fault", "sneaky@bob" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(process.ExitCode, Is.EqualTo(2));
            Assert.That(await stderr, Does.Contain("'sneaky@bob'").And.Contain("repeating-pages"));
            Assert.That(await stdout, Is.Empty, "refused before any sandbox starts");
        }
    }
}
