using System.Diagnostics;
using System.Globalization;

namespace Tastebuds.Benchmarks;

/// <summary>
/// Runs one worker verb (<c>similarities</c>, <c>recommendations</c>) as its own process, the way an operator does,
/// under <c>/usr/bin/time</c> for the peak resident set size of that process alone.
/// </summary>
internal static class StageProcess
{
    public static async Task<(string Output, long PeakRssBytes)> RunAsync(string verb, string connectionString)
    {
        var rssFile = Path.GetTempFileName();
        try
        {
            var start = new ProcessStartInfo("/usr/bin/time")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var a in new[] { "-f", "%M", "-o", rssFile, Path.Combine(AppContext.BaseDirectory, "Tastebuds.Worker"), verb })
            {
                start.ArgumentList.Add(a);
            }

            start.Environment["ConnectionStrings__Postgres"] = connectionString;
            start.Environment["Logging__LogLevel__Default"] = "Warning";
            start.Environment["Database__CommandTimeout"] = "00:30:00";
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start the worker for '{verb}'");
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"'{verb}' exited {process.ExitCode}: {await output}\n{await error}");
            }

            var kilobytes = long.Parse((await File.ReadAllTextAsync(rssFile)).Trim().Split('\n')[^1], CultureInfo.InvariantCulture);
            return ((await output).Trim(), kilobytes * 1024);
        }
        finally
        {
            File.Delete(rssFile);
        }
    }
}
