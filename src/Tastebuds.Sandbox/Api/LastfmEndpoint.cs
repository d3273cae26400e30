using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Tastebuds.Sandbox.Faults;
using Tastebuds.Sandbox.Logging;
using Tastebuds.Sandbox.World;

namespace Tastebuds.Sandbox.Api;

/// Answers `GET /2.0/`. Checks run in the order a client meets them on Last.fm: API key (10, 26), budget (29),
/// method (3), parameters (6), then an injected fault if one is due, then a hostile fault that replaces the answer
/// (redirect, echoing error), then the user (6 not found, 17 private); hostile faults that bend the data come last.
internal sealed class LastfmEndpoint(WorldHolder served, SandboxOptions options, RequestBudget budget, FaultPlan faults, SandboxRequestLog log)
{
    private const string JsonUtf8 = "application/json; charset=UTF-8";
    private static readonly byte[] BadGatewayHtml = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n"u8.ToArray();
    private static readonly byte[] UnavailableHtml = "<html><head><title>503 Service Unavailable</title></head><body><h1>Service Unavailable</h1><p>The server is temporarily unable to service your request.</p></body></html>"u8.ToArray();

    private readonly HashSet<string> _valid = new(options.ValidApiKeys, StringComparer.Ordinal);
    private readonly HashSet<string> _invalid = new(options.InvalidApiKeys, StringComparer.Ordinal);
    private readonly HashSet<string> _suspended = new(options.SuspendedApiKeys, StringComparer.Ordinal);

    public async Task HandleAsync(HttpContext context)
    {
        var arrived = options.TimeProvider.GetUtcNow();
        var request = LastfmRequest.Parse(context.Request.Query);
        var outcome = await AnswerAsync(context, request);
        var kind = outcome.Fault is { } f && f != SandboxFaultKind.LoneItemAsObject ? SandboxOutcome.Fault
            : outcome.Hostile.Count > 0 ? SandboxOutcome.Hostile
            : outcome.Error is null ? SandboxOutcome.Success : SandboxOutcome.Error;
        log.Add(new SandboxRequestRecord(
            arrived, request.Method, request.User, HashKey(request.ApiKey), context.Response.StatusCode, outcome.Error,
            kind, outcome.Fault, outcome.Page, context.Request.Host.Value ?? "", outcome.Hostile));
    }

    private async Task<Outcome> AnswerAsync(HttpContext context, LastfmRequest request)
    {
        var ct = context.RequestAborted;
        if (request.ApiKey.Length == 0 || _invalid.Contains(request.ApiKey) || (_valid.Count > 0 && !_valid.Contains(request.ApiKey) && !_suspended.Contains(request.ApiKey)))
        {
            return new(await ErrorAsync(context, LastfmError.InvalidApiKey, ct));
        }

        if (_suspended.Contains(request.ApiKey))
        {
            return new(await ErrorAsync(context, LastfmError.SuspendedApiKey, ct));
        }

        if (!budget.TryTake(request.ApiKey, out var retryAfter))
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return new(await ErrorAsync(context, LastfmError.RateLimited, ct));
        }

        var method = Methods.Find(request.Method);
        if (method is null)
        {
            return new(await ErrorAsync(context, LastfmError.InvalidMethod, ct));
        }

        if (request.User is null || (method.NeedsTag && (request.Tag is null || Methods.TaggingType(request.TaggingType) is null)))
        {
            return new(await ErrorAsync(context, LastfmError.MissingParameter, ct));
        }

        if (method.Paged && !request.PageInBounds)
        {
            return new(await ErrorAsync(context, LastfmError.PageOutOfBounds, ct));
        }

        var fault = faults.Next(request.FaultKey);
        var page = method.Paged ? request.Paging.Page : (int?)null;
        if (fault is { } early && await EarlyFaultAsync(context, early, ct) is var code && code != 0)
        {
            return new(code > 0 ? code : null, fault, page);
        }

        var hostile = options.HostileFaults.Where(h => h.Targets(request.User)).ToArray();
        if (await HostileAnswer.ReplaceAsync(context, hostile, ct) is { } replaced)
        {
            return new(replaced.Error, fault, page, [replaced.Kind]);
        }

        var world = served.Current;
        var user = world.FindUser(request.User);
        if (user is null)
        {
            return new(await ErrorAsync(context, LastfmError.UserNotFound, ct), fault, page);
        }

        if (user.IsPrivate && method.Name != "user.getinfo")
        {
            return new(await ErrorAsync(context, LastfmError.LoginRequired, ct), fault, page);
        }

        var shape = new ListShape(
            AttrFirst: StableHash.Unit(world.Seed, $"attr|{request.FaultKey}") < 0.5,
            LoneItemAsObject: fault == SandboxFaultKind.LoneItemAsObject);
        var body = method.Write(world, user, request, shape, new ItemWriters(new HostileValues(hostile)));
        await LateFaultAsync(context, fault, body, method.ContentType ?? JsonUtf8, ct);
        return new(null, fault, page, HostileAnswer.DataKinds(hostile));
    }

    /// Faults that replace the answer. Returns the Last.fm error code written, -1 for a bare HTTP fault, 0 for none.
    private static async Task<int> EarlyFaultAsync(HttpContext context, SandboxFaultKind fault, CancellationToken ct)
    {
        switch (fault)
        {
            case SandboxFaultKind.Error8: return await ErrorAsync(context, LastfmError.OperationFailed, ct);
            case SandboxFaultKind.Error11: return await ErrorAsync(context, LastfmError.ServiceOffline, ct);
            case SandboxFaultKind.Error16: return await ErrorAsync(context, LastfmError.Temporary, ct);
            case SandboxFaultKind.Error29:
                context.Response.Headers.RetryAfter = "1";
                return await ErrorAsync(context, LastfmError.RateLimited, ct);
            case SandboxFaultKind.Http500:
                context.Response.StatusCode = 500;
                context.Response.ContentLength = 0;
                return -1;
            case SandboxFaultKind.Http502:
                await WriteAsync(context, 502, "text/html", BadGatewayHtml, ct);
                return -1;
            case SandboxFaultKind.Http503:
                await WriteAsync(context, 503, "text/html", UnavailableHtml, ct);
                return -1;
            default: return 0;
        }
    }

    /// Faults that damage the delivery of a correct body; the data itself is never altered.
    private async Task LateFaultAsync(HttpContext context, SandboxFaultKind? fault, byte[] body, string contentType, CancellationToken ct)
    {
        switch (fault)
        {
            case SandboxFaultKind.Slow:
                try
                {
                    await Task.Delay(options.ClientTimeout * 2, options.TimeProvider, ct);
                }
                catch (OperationCanceledException)
                {
                    return; // the client gave up, as intended
                }

                await WriteAsync(context, 200, contentType, body, ct);
                break;
            case SandboxFaultKind.Truncated:
                context.Response.StatusCode = 200;
                context.Response.ContentType = contentType;
                context.Response.ContentLength = body.Length;
                await context.Response.Body.WriteAsync(body.AsMemory(0, body.Length / 2), ct);
                await context.Response.Body.FlushAsync(ct);
                context.Abort();
                break;
            case SandboxFaultKind.MalformedJson:
                await WriteAsync(context, 200, contentType, body.AsMemory(0, Math.Max(1, body.Length / 2)), ct);
                break;
            default:
                await WriteAsync(context, 200, contentType, body, ct);
                break;
        }
    }

    private static async Task<int> ErrorAsync(HttpContext context, LastfmError error, CancellationToken ct)
    {
        await WriteAsync(context, error.Status, "application/json", error.Body(), ct);
        return error.Code;
    }

    private static async Task WriteAsync(HttpContext context, int status, string contentType, ReadOnlyMemory<byte> body, CancellationToken ct)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, ct);
    }

    /// How a request was answered, for the log.
    private readonly record struct Outcome(int? Error, SandboxFaultKind? Fault, int? Page, IReadOnlyList<HostileFaultKind> Hostile)
    {
        public Outcome(int? error, SandboxFaultKind? fault = null, int? page = null)
            : this(error, fault, page, [])
        {
        }
    }

    private static string HashKey(string apiKey) =>
        apiKey.Length == 0 ? "" : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)))[..12];
}
