using System.Diagnostics;

namespace Tastebuds.Tests.Support;

/// <summary>
/// Finds <c>prometheus</c> and <c>promtool</c>: on <c>PATH</c>, else where Debian's <c>prometheus</c> package puts them
/// (<c>/usr/bin</c>). Without them a test is ignored with the reason; it fails instead when <c>CI</c> is set, because
/// <c>.ci/run</c> installs the package.
/// </summary>
public static class PrometheusBinaries
{
    private static readonly string[] DebianFolders = ["/usr/bin"];

    public static string RequirePrometheus() => Require("prometheus");

    public static string RequirePromtool() => Require("promtool");

    public static string? Find(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Concat(DebianFolders)
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists);
    }

    private static string Require(string name)
    {
        var found = Find(name);
        if (found is not null)
        {
            return found;
        }

        var reason = $"'{name}' is neither on PATH nor in {string.Join(", ", DebianFolders)}: install Debian's prometheus package "
            + "(apt-get install --no-install-recommends prometheus; .ci/run does it), which brings prometheus and promtool.";
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            Assert.Fail($"CI is set, so the Prometheus tests may not be skipped: {reason}");
        }

        Assert.Ignore(reason);
        throw new UnreachableException("Assert.Ignore throws.");
    }
}
