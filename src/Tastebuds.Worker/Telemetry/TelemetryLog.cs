using Microsoft.Extensions.Logging;

namespace Tastebuds.Worker.Telemetry;

internal static partial class TelemetryLog
{
    [LoggerMessage(9001, LogLevel.Information, "Serving /metrics, /health/live and /health/ready on {BindAddress}:{Port}")]
    public static partial void Listening(ILogger logger, string bindAddress, int port);

    [LoggerMessage(9002, LogLevel.Information, "The telemetry listener is disabled (Telemetry:Enabled = false)")]
    public static partial void ListenerDisabled(ILogger logger);

    [LoggerMessage(9003, LogLevel.Debug, "Seeded the last successful run of {Count} jobs from data_fetch_logs")]
    public static partial void SeededLastSuccess(ILogger logger, int count);

    [LoggerMessage(9004, LogLevel.Warning, "Could not read the last successful runs from data_fetch_logs: {Reason}")]
    public static partial void SeedFailed(ILogger logger, string reason);

    [LoggerMessage(9005, LogLevel.Information, "Exporting metrics and traces over OTLP to {Endpoint}")]
    public static partial void ExportingOtlp(ILogger logger, string endpoint);
}
