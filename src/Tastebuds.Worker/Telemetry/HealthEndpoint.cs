using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Tastebuds.Worker.Telemetry;

/// <summary>
/// Runs the health checks with one tag and answers 200 (healthy or degraded) or 503 (unhealthy) with a JSON
/// body naming every check: <c>{"status":"Unhealthy","checks":{"database":{"status":"Unhealthy","description":"..."}}}</c>.
/// </summary>
internal static class HealthEndpoint
{
    public const string LiveTag = "live";
    public const string ReadyTag = "ready";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static async Task WriteAsync(HttpContext context, HealthCheckService health, string tag)
    {
        var report = await health.CheckHealthAsync(r => r.Tags.Contains(tag), context.RequestAborted);
        context.Response.StatusCode = report.Status == HealthStatus.Unhealthy
            ? StatusCodes.Status503ServiceUnavailable
            : StatusCodes.Status200OK;
        context.Response.Headers.CacheControl = "no-store";
        var body = new HealthBody(
            report.Status.ToString(),
            Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            report.Entries.ToDictionary(
                e => e.Key,
                e => new CheckBody(e.Value.Status.ToString(), e.Value.Description, Math.Round(e.Value.Duration.TotalMilliseconds, 1))));
        await context.Response.WriteAsJsonAsync(body, Json, context.RequestAborted);
    }

    internal sealed record HealthBody(string Status, double DurationMs, IReadOnlyDictionary<string, CheckBody> Checks);

    internal sealed record CheckBody(string Status, string? Description, double DurationMs);
}
