using System.Diagnostics;

namespace Tastebuds.Tests.Support;

/// <summary>
/// Runs a process as PID 1 of a new PID namespace, as in a container: <c>unshare --pid --fork --mount-proc --kill-child</c>.
/// Killing the <c>unshare</c> process kills the process inside (and, with it being PID 1, the whole namespace).
/// </summary>
public static class PidNamespace
{
    public static readonly IReadOnlyList<string> Wrapper = ["unshare", "--pid", "--fork", "--mount-proc", "--kill-child"];

    /// <summary>Null when a process can be run as PID 1 here; otherwise why not.</summary>
    public static async Task<string?> UnavailableReasonAsync()
    {
        var probe = new ProcessStartInfo(Wrapper[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in Wrapper.Skip(1).Concat(["sh", "-c", "echo $$"]))
        {
            probe.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(probe)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return process.ExitCode == 0 && output.Trim() == "1"
                ? null
                : $"'{string.Join(' ', Wrapper)}' does not run a process as PID 1 here (exit {process.ExitCode}, pid '{output.Trim()}'): {error.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"'{Wrapper[0]}' cannot be started (util-linux not installed?): {e.Message}";
        }
    }

    /// <summary>Fails with <paramref name="reason"/> on CI (where the test must run), else ignores the test.</summary>
    public static void Require(string? reason)
    {
        if (reason is null)
        {
            return;
        }

        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            Assert.Fail($"CI is set, so this test may not be skipped: {reason}");
        }

        Assert.Ignore(reason);
    }
}
