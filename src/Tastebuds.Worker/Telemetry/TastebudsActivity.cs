using System.Diagnostics;

namespace Tastebuds.Worker.Telemetry;

/// <summary>
/// The <c>Tastebuds</c> ActivitySource. Jobs start one activity per run
/// (<c>using var run = TastebudsActivity.Source.StartActivity("fetch_users");</c>), the Last.fm client one per call.
/// <c>StartActivity</c> returns null when nothing listens (no OTLP endpoint), so callers use <c>?.</c>.
/// </summary>
public static class TastebudsActivity
{
    public const string SourceName = "Tastebuds";

    public static ActivitySource Source { get; } = new(SourceName, typeof(TastebudsActivity).Assembly.GetName().Version?.ToString());

    /// <summary>Marks an activity failed with the exception's type and message (no stack: it goes to the logs).</summary>
    public static void RecordFailure(this Activity? activity, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
        activity?.SetTag("error.type", exception.GetType().FullName);
    }
}
