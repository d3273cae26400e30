using System.ComponentModel.DataAnnotations;
using Tastebuds.Worker.Configuration;

namespace Tastebuds.Worker.Telemetry;

/// <summary>Settings of the <c>Telemetry</c> section: the operations listener (<c>/metrics</c>, <c>/health/live</c>, <c>/health/ready</c>).</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>Serve the listener; false = no port is opened (metrics still go to OTLP when configured).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>IP address to listen on: 0.0.0.0 (every IPv4 interface), :: or 127.0.0.1.</summary>
    [IpAddress]
    public string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>TCP port; 0 = an ephemeral port (tests), read back from <see cref="TelemetryListener.Port"/>.</summary>
    [Range(0, 65535, ErrorMessage = Rule.Range)]
    public int Port { get; set; } = 9464;

    /// <summary>Readiness fails when <c>SELECT 1</c> takes longer than this.</summary>
    [TimeSpanRange("00:00:00.100", "00:01:00")]
    public TimeSpan DatabaseCheckTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Liveness fails when the heartbeat (every 5 s) is older than this: the process is wedged.</summary>
    [TimeSpanRange("00:00:10", "00:10:00")]
    public TimeSpan LivenessThreshold { get; set; } = TimeSpan.FromSeconds(30);
}
