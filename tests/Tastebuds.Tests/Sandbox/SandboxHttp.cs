using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Tastebuds.Sandbox;
using Tastebuds.Sandbox.World;

namespace Tastebuds.Tests.Sandbox;

/// A reply as a test sees it: status, raw body, headers.
internal sealed record SandboxReply(HttpStatusCode Status, string Body, HttpResponseHeaders Headers)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public int? ErrorCode => Body.StartsWith('{') && Json.TryGetProperty("error", out var e) ? e.GetInt32() : null;
}

/// Plain HTTP against the sandbox: this is the test's own reading of the wire format, not the worker's client.
internal static class SandboxHttp
{
    /// One world for the whole test run: generation is the slow part, servers are cheap.
    public static readonly Lazy<SandboxWorld> World = new(() => SandboxWorld.Generate(200, 42));

    public static HttpClient Client() => new() { Timeout = TimeSpan.FromSeconds(10) };

    public static Uri Url(SandboxServer server, string method, string? user, string apiKey = "test-key", params (string Key, string Value)[] extra)
    {
        var query = new StringBuilder($"?method={method}&api_key={Uri.EscapeDataString(apiKey)}&format=json");
        if (user is not null)
        {
            query.Append("&user=").Append(Uri.EscapeDataString(user));
        }

        foreach (var (key, value) in extra)
        {
            query.Append('&').Append(key).Append('=').Append(Uri.EscapeDataString(value));
        }

        return new Uri(server.BaseUrl, query.ToString());
    }

    public static async Task<SandboxReply> GetAsync(
        this HttpClient http, SandboxServer server, string method, string? user, string apiKey = "test-key", params (string Key, string Value)[] extra)
    {
        using var response = await http.GetAsync(Url(server, method, user, apiKey, extra));
        return new SandboxReply(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers);
    }

    /// The list under `name`, whether it came as an array or as a lone object.
    public static JsonElement[] Items(this JsonElement container, string name)
    {
        var list = container.GetProperty(name);
        return list.ValueKind == JsonValueKind.Array ? [.. list.EnumerateArray()] : [list];
    }

    public static string Str(this JsonElement element, string name) => element.GetProperty(name).GetString()!;
}
