using System.Diagnostics;
using System.Text;

namespace Tastebuds.Tests.Support;

/// <summary>The real worker binary run as a separate process, for CLI, crash and replica tests.</summary>
public sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private WorkerProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (_stdout) { _stdout.AppendLine(e.Data); } } };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (_stderr) { _stderr.AppendLine(e.Data); } } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public string StandardOutput { get { lock (_stdout) { return _stdout.ToString(); } } }

    public string StandardError { get { lock (_stderr) { return _stderr.ToString(); } } }

    public static WorkerProcess Start(IEnumerable<string> arguments, IDictionary<string, string?>? environment = null) =>
        Start(arguments, environment, wrapper: []);

    /// <summary>
    /// Starts the worker under <paramref name="wrapper"/> (a command and its arguments, e.g. <c>unshare --pid --fork</c>),
    /// which runs the worker binary as its last argument. <see cref="Id"/> and <see cref="Signal"/> are then the wrapper's.
    /// </summary>
    public static WorkerProcess Start(IEnumerable<string> arguments, IDictionary<string, string?>? environment, IReadOnlyList<string> wrapper)
    {
        var worker = Path.Combine(AppContext.BaseDirectory, "Tastebuds.Worker");
        var start = new ProcessStartInfo(wrapper.Count > 0 ? wrapper[0] : worker)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        if (wrapper.Count > 0)
        {
            foreach (var argument in wrapper.Skip(1))
            {
                start.ArgumentList.Add(argument);
            }

            start.ArgumentList.Add(worker);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["Logging__LogLevel__Default"] = "Warning";
        // Workers run side by side (and beside other suites): never the fixed operations port 9464.
        start.Environment["Telemetry__Port"] = "0";
        start.Environment["Telemetry__BindAddress"] = "127.0.0.1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[key] = value;
        }

        return new WorkerProcess(Process.Start(start)!);
    }

    /// <summary>Runs the worker to completion (bounded) and returns its exit code.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        IEnumerable<string> arguments, IDictionary<string, string?>? environment = null, TimeSpan? timeout = null)
    {
        using var worker = Start(arguments, environment);
        var code = await worker.WaitForExitAsync(timeout ?? TimeSpan.FromSeconds(120));
        return (code, worker.StandardOutput, worker.StandardError);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The worker did not exit within {timeout}. stderr:\n{StandardError}");
        }

        // Drain the asynchronous readers.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Signal(int signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public void Kill() => _process.Kill(entireProcessTree: true);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
