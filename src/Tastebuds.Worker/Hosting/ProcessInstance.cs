using System.Diagnostics;
using System.Globalization;

namespace Tastebuds.Worker.Hosting;

/// <summary>
/// Who this process is, as written with every <c>data_fetch_logs</c> row: <see cref="Host"/> (machine/pid), a random
/// <see cref="Id"/> and the process's own start time. A machine and a pid are not enough: a container restarted
/// after a crash runs as PID 1 again on the same host name, and would take the dead process's rows for its own.
/// A row belongs to a running process only when that pid runs on this machine and started when the row says.
/// </summary>
public static class ProcessInstance
{
    /// <summary>Two reads of one process's start time differ by clock-tick rounding, never by this much.</summary>
    private static readonly TimeSpan StartTimeTolerance = TimeSpan.FromSeconds(2);

    /// <summary>Machine and process id (the <c>host</c> column).</summary>
    public static string Host { get; } = $"{Environment.MachineName}/{Environment.ProcessId}";

    /// <summary>Machine, process id and 8 random hex digits: new at every start (also the clustered Quartz instance id).</summary>
    public static string Id { get; } = $"{Host}/{Guid.NewGuid():N}"[..(Host.Length + 9)];

    /// <summary>When this process started (UTC), as the operating system reports it.</summary>
    public static DateTimeOffset StartedAt { get; } = StartTimeOf(Environment.ProcessId) ?? TimeProvider.System.GetUtcNow();

    /// <summary>
    /// Whether the process that wrote a row is known to have ended. Rows of this instance are alive. Rows of this
    /// machine are alive only if their pid runs and started at the recorded time (a row with this process's pid but
    /// another instance id is a previous incarnation). Rows of other machines are the caller's call
    /// (<paramref name="otherMachine"/>), since no process table can be read there.
    /// </summary>
    public static bool IsGone(string? host, string? instanceId, DateTimeOffset? instanceStartedAt, Func<string, bool> otherMachine)
    {
        if (instanceId == Id)
        {
            return false;
        }

        var parts = (host ?? string.Empty).Split('/');
        if (parts.Length != 2 || parts[0] != Environment.MachineName
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return otherMachine(instanceId ?? host ?? string.Empty);
        }

        if (pid == Environment.ProcessId)
        {
            // Our pid, not our instance: the process that had this pid before us (a restarted container).
            return true;
        }

        var started = StartTimeOf(pid);
        if (started is null)
        {
            return true;
        }

        // Rows written before instances were recorded have no start time: a running pid counts as alive.
        return instanceStartedAt is { } recorded && (started.Value - recorded).Duration() > StartTimeTolerance;
    }

    private static DateTimeOffset? StartTimeOf(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited ? null : new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return null;
        }
    }
}
