using System.Globalization;

namespace Tastebuds.Benchmarks;

/// <summary>
/// The machine a figure was measured on, for the header of a benchmark's output: its cores and, on Linux, the processor's
/// model and clock from /proc/cpuinfo. The same build has measured 1.6× apart on two sittings of one day
/// (docs/benchmarks.md), so a figure is compared with another only where both name the same host.
/// </summary>
internal static class HostDescription
{
    public static string Cores()
    {
        var cores = string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount} cores");
        const string CpuInfo = "/proc/cpuinfo";
        if (!File.Exists(CpuInfo))
        {
            return cores;
        }

        var lines = File.ReadLines(CpuInfo).ToList();
        var model = Field(lines, "model name");
        var clock = Field(lines, "cpu MHz");
        if (model is null)
        {
            return cores;
        }

        var megahertz = double.TryParse(clock, NumberStyles.Float, CultureInfo.InvariantCulture, out var mhz)
            ? string.Create(CultureInfo.InvariantCulture, $", {mhz:0} MHz")
            : string.Empty;
        return $"{cores} ({model}{megahertz})";
    }

    private static string? Field(List<string> lines, string name) => lines
        .Where(l => l.StartsWith(name, StringComparison.Ordinal) && l.Contains(':', StringComparison.Ordinal))
        .Select(l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim())
        .FirstOrDefault();
}
