using System.Net;
using Microsoft.Extensions.Logging;
using Tastebuds.Worker.Configuration;
using Tastebuds.Worker.Telemetry;

namespace Tastebuds.Worker.Lastfm;

/// <summary>
/// The innermost handler, run once per attempt (inside the resilience pipeline's retry, breaker,
/// rate limiter and attempt timeout). It reads the whole body, because Last.fm reports errors in
/// the body whatever the status (error 29 comes with HTTP 200 as well as 429), and turns every
/// outcome into either a clean buffered response or an exception the pipeline can classify:
/// <see cref="LastfmTransientException"/> is retried, the other <see cref="LastfmApiException"/>s are not.
/// Reading the body here also puts it under the attempt timeout, and a cut-off or malformed body
/// becomes a retried failure instead of a parse error in the caller.
/// </summary>
internal sealed class LastfmResponseHandler(TimeProvider time, TastebudsMetrics metrics, ILogger<LastfmResponseHandler> logger) : DelegatingHandler
{
    public static readonly HttpRequestOptionsKey<string> MethodKey = new("lastfm.method");

    internal static string MethodOf(HttpRequestMessage? request) =>
        request is not null && request.Options.TryGetValue(MethodKey, out var m) ? m : "?";

    /// <summary>Records every attempt in <c>tastebuds.lastfm.requests</c> and <c>.request.duration</c> with its outcome.</summary>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var method = MethodOf(request);
        var started = time.GetTimestamp();
        try
        {
            var response = await SendAndInspectAsync(request, method, cancellationToken);
            metrics.RecordLastfmRequest(method, TastebudsInstruments.Outcome.Success, null, time.GetElapsedTime(started));
            return response;
        }
        catch (Exception e) when (e is LastfmApiException or OperationCanceledException)
        {
            var (outcome, code) = e switch
            {
                LastfmTransientException t => (TastebudsInstruments.Outcome.Transient, t.ErrorCode),
                LastfmApiException a => (TastebudsInstruments.Outcome.Error, a.ErrorCode),
                // The attempt timeout cancels the token this handler runs under.
                _ => (TastebudsInstruments.Outcome.Timeout, LastfmErrorCode.None),
            };
            metrics.RecordLastfmRequest(method, outcome, code == LastfmErrorCode.None ? null : (int)code, time.GetElapsedTime(started));
            throw;
        }
    }

    private async Task<HttpResponseMessage> SendAndInspectAsync(HttpRequestMessage request, string method, CancellationToken cancellationToken)
    {
        var uri = LastfmRedaction.Redact(request.RequestUri);
        LastfmCallStats.RecordRequest();
        LastfmLog.RequestStarting(logger, method, uri);
        var started = time.GetTimestamp();

        HttpResponseMessage response;
        byte[] body;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw Transport(method, uri, ex);
        }

        try
        {
            body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            response.Dispose();
            throw Transport(method, uri, ex);
        }
        catch (IOException ex)
        {
            response.Dispose();
            throw Transport(method, uri, ex);
        }

        var status = response.StatusCode;
        LastfmLog.ResponseReceived(logger, method, (int)status, body.Length, time.GetElapsedTime(started).TotalMilliseconds);
        var retryAfter = RetryAfter(response);
        if ((int)status is >= 300 and < 400)
        {
            response.Dispose();
            throw Redirect(request, method, status, response.Headers.Location, uri);
        }

        var inspection = LastfmBodyInspector.Inspect(body);
        if (inspection.ErrorMessage is { } said)
        {
            // Servers have been seen to echo the request, key included, in the message.
            inspection = inspection with { ErrorMessage = Secrets.Redact(said) };
        }

        if (inspection.ErrorCode is { } code)
        {
            response.Dispose();
            LastfmLog.ApiError(logger, method, (int)code, code, inspection.ErrorMessage, (int)status, uri);
            var text = LastfmApiException.Describe(code, inspection.ErrorMessage, status, uri);
            if (LastfmErrorCodes.IsTransient(code))
            {
                throw new LastfmTransientException(text, code, inspection.ErrorMessage, status, uri, retryAfter);
            }

            if (LastfmErrorCodes.IsKeyRejected(code))
            {
                throw new LastfmKeyRejectedException(code, inspection.ErrorMessage, status, uri);
            }

            if (LastfmErrorCodes.IsUserUnavailable(code))
            {
                throw new LastfmUserUnavailableException(code, inspection.ErrorMessage, status, uri);
            }

            throw new LastfmApiException(text, code, inspection.ErrorMessage, status, uri);
        }

        var transientStatus = IsTransientStatus(status);
        if (!inspection.WellFormed)
        {
            response.Dispose();
            LastfmLog.MalformedBody(logger, method, (int)status, body.Length, inspection.Problem ?? "", uri);
            var text = FormattableString.Invariant(
                $"Last.fm {method} answered HTTP {(int)status} with a malformed or cut-off body ({body.Length} bytes): {inspection.Problem}; {uri}");
            throw response.IsSuccessStatusCode || transientStatus
                ? new LastfmTransientException(text, LastfmErrorCode.None, null, status, uri, retryAfter)
                : new LastfmApiException(text, LastfmErrorCode.None, null, status, uri);
        }

        if (!response.IsSuccessStatusCode)
        {
            response.Dispose();
            var text = FormattableString.Invariant($"Last.fm {method} answered HTTP {(int)status} without an error code; {uri}");
            throw transientStatus
                ? new LastfmTransientException(text, LastfmErrorCode.None, null, status, uri, retryAfter)
                : new LastfmApiException(text, LastfmErrorCode.None, null, status, uri);
        }

        var buffered = new LastfmBufferedContent(body);
        foreach (var header in response.Content.Headers)
        {
            buffered.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Content.Dispose();
        response.Content = buffered;
        return response;
    }

    private LastfmApiException Redirect(HttpRequestMessage request, string method, HttpStatusCode status, Uri? location, string uri)
    {
        var target = location is null ? null : request.RequestUri is { } from ? new Uri(from, location) : location;
        var shown = target is null ? "(no Location)" : Secrets.Redact(LastfmRedaction.Redact(target));
        var sameHost = target is not null && request.RequestUri is not null
            && string.Equals(target.Host, request.RequestUri.Host, StringComparison.OrdinalIgnoreCase);
        LastfmLog.RedirectRefused(logger, method, (int)status, shown);
        var why = sameHost
            ? "redirects are not followed (the request carries the API key); set Lastfm:BaseUrl to the address Last.fm answers at"
            : "it leads to another host than Lastfm:BaseUrl's, and the request carries the API key";
        return new LastfmApiException(
            FormattableString.Invariant($"Last.fm {method} answered HTTP {(int)status} redirecting to {shown}: not followed, since {why}; {uri}"),
            LastfmErrorCode.None, null, status, uri);
    }

    private static bool IsTransientStatus(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout;

    /// <summary>The server's Retry-After as a delay from now; null when absent or already past (then the backoff decides).</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        var after = header?.Delta ?? (header?.Date is { } date ? date - time.GetUtcNow() : null);
        return after > TimeSpan.Zero ? after : null;
    }

    private LastfmTransientException Transport(string method, string uri, Exception ex)
    {
        // Transport messages name host and port only, but redact anyway: they are not ours.
        var reason = Secrets.Redact(LastfmRedaction.Redact(ex.Message));
        LastfmLog.TransportFailure(logger, method, reason, uri);
        return new LastfmTransientException(
            $"Last.fm {method} failed in transport: {reason}; {uri}", LastfmErrorCode.None, null, null, uri, inner: ex);
    }
}
