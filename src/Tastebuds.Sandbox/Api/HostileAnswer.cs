using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Tastebuds.Sandbox.Faults;

namespace Tastebuds.Sandbox.Api;

/// The hostile faults that replace a whole answer (an off-host redirect, an error echoing the request), and which
/// of the others bend a data answer. They never heal: every request of the targeted user gets them.
internal static class HostileAnswer
{
    private const string OffHost = "localhost";

    private static readonly HostileFaultKind[] DataBending =
        [HostileFaultKind.Impostor, HostileFaultKind.RepeatingPages, HostileFaultKind.AbsurdNumbers, HostileFaultKind.DirtyText, HostileFaultKind.AbsurdTimestamps];

    /// Answers the request when a replacing fault applies; returns its kind and the Last.fm error code written, if any.
    public static async Task<(HostileFaultKind Kind, int? Error)?> ReplaceAsync(HttpContext context, IReadOnlyCollection<HostileFault> faults, CancellationToken ct)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw
            ? raw
            : context.Request.PathBase + context.Request.Path + context.Request.QueryString;

        // A request that followed the redirect (Host: localhost) is answered normally: one hop, not a loop.
        if (Has(faults, HostileFaultKind.RedirectOffHost)
            && !string.Equals(context.Request.Host.Host, OffHost, StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = StatusCodes.Status302Found;
            context.Response.Headers.Location = string.Create(CultureInfo.InvariantCulture, $"http://{OffHost}:{context.Connection.LocalPort}{target}");
            context.Response.ContentLength = 0;
            return (HostileFaultKind.RedirectOffHost, null);
        }

        if (Has(faults, HostileFaultKind.EchoingErrors))
        {
            // Some backends put the failed request in the message: a client that logs error messages logs its key.
            var error = LastfmError.OperationFailed with { Message = $"Operation failed - request was {context.Request.Method} {target}" };
            var body = error.Body();
            context.Response.StatusCode = error.Status;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body, ct);
            return (HostileFaultKind.EchoingErrors, error.Code);
        }

        return null;
    }

    /// The faults that shape a data answer, in declaration order.
    public static IReadOnlyList<HostileFaultKind> DataKinds(IReadOnlyCollection<HostileFault> faults) =>
        [.. DataBending.Where(k => Has(faults, k))];

    private static bool Has(IReadOnlyCollection<HostileFault> faults, HostileFaultKind kind) => faults.Any(f => f.Kind == kind);
}
