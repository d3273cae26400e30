using System.Globalization;
using System.Text.Json;
using Tastebuds.Worker.Runs;

namespace Tastebuds.Worker.Cli;

/// <summary>The "counts" cell of a run in <c>status</c>: what each job writes in its log row's columns and details.</summary>
internal static class StatusCounts
{
    public static string Of(JobRun run)
    {
        using var details = JsonDocument.Parse(string.IsNullOrWhiteSpace(run.Details) ? "{}" : run.Details);
        var d = details.RootElement;
        var c = CultureInfo.InvariantCulture;
        if (!RunNames.TryParse(run.Job, out var job))
        {
            return string.Create(c, $"{run.ItemsWritten:N0} items");
        }

        return job switch
        {
            JobType.FetchUsers => string.Create(c,
                $"users {Int(d, "users")}: {Int(d, "succeeded")} ok, {(Int(d, "unchanged") is "-" or "0" ? "" : Int(d, "unchanged") + " unchanged, ")}{Int(d, "skipped")} skipped, {Int(d, "failed")} failed; {run.Requests:N0} requests, {run.Retries:N0} retries"),
            JobType.FetchUser => string.Create(c,
                $"{run.Username}: {run.Tracks} tracks, {run.Albums} albums, {run.Artists} artists; {run.Requests:N0} requests"),
            JobType.RecalculateSimilarities => string.Create(c,
                $"{Int(d, "users")} users, {Int(d, "pairs_evaluated")} pairs, {run.ItemsWritten:N0} neighbours"),
            JobType.GenerateRecommendations => string.Create(c,
                $"{run.ItemsWritten:N0} recommendations for {Int(d, "users_with_recommendations")} users ({Text(d, "metrics")})"),
            _ => string.Create(c, $"{run.ItemsWritten:N0} items"),
        };
    }

    private static string Int(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v) && v.TryGetInt64(out var n)
            ? n.ToString("N0", CultureInfo.InvariantCulture)
            : "-";

    private static string Text(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "-";
}
