using System.Diagnostics;

namespace Tastebuds.Worker.Database;

/// <summary>Runs a PostgreSQL program, as another account when the worker runs as root.</summary>
internal static class ProcessRunner
{
    public sealed record Result(int ExitCode, string Output);

    public static async Task<Result> RunAsync(
        string program, IEnumerable<string> arguments, string? runAsUser, string workingDirectory, CancellationToken ct)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        if (runAsUser is null)
        {
            start.FileName = program;
        }
        else
        {
            start.FileName = "runuser";
            start.ArgumentList.Add("-u");
            start.ArgumentList.Add(runAsUser);
            start.ArgumentList.Add("--");
            start.ArgumentList.Add(program);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Locale variables of the caller would leak into initdb; the cluster's locale is chosen explicitly.
        start.Environment["LC_ALL"] = "C.UTF-8";

        using var process = Process.Start(start)
            ?? throw new EmbeddedPostgresException($"Could not start {program}.");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return new Result(process.ExitCode, (await stdout + await stderr).Trim());
    }

    public static async Task ChangeOwnerAsync(string path, string user, CancellationToken ct)
    {
        var result = await RunAsync("chown", ["-R", user, path], runAsUser: null, "/", ct);
        if (result.ExitCode != 0)
        {
            throw new EmbeddedPostgresException($"Could not give {path} to the account '{user}': {result.Output}");
        }
    }
}
