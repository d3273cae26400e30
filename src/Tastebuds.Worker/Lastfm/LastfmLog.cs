using System.Net;
using Microsoft.Extensions.Logging;

namespace Tastebuds.Worker.Lastfm;

/// <summary>
/// Every log line of the Last.fm client. Event ids 1000–1099 belong to this feature and never change meaning.
/// URIs passed here are already redacted (<see cref="LastfmRedaction"/>).
/// </summary>
internal static partial class LastfmLog
{
    [LoggerMessage(1001, LogLevel.Debug, "Last.fm {Method} request: {Uri}")]
    public static partial void RequestStarting(ILogger logger, string method, string uri);

    [LoggerMessage(1002, LogLevel.Debug, "Last.fm {Method} answered HTTP {StatusCode} with {Bytes} bytes in {ElapsedMs:F0} ms")]
    public static partial void ResponseReceived(ILogger logger, string method, int statusCode, int bytes, double elapsedMs);

    [LoggerMessage(1003, LogLevel.Information, "Last.fm {Method} failed with error {ErrorCode} ({ErrorName}): {ApiMessage}; HTTP {StatusCode}; {Uri}")]
    public static partial void ApiError(ILogger logger, string method, int errorCode, LastfmErrorCode errorName, string? apiMessage, int statusCode, string uri);

    [LoggerMessage(1004, LogLevel.Warning, "Last.fm {Method} answered HTTP {StatusCode} with a malformed or cut-off body ({Bytes} bytes): {Reason}; {Uri}")]
    public static partial void MalformedBody(ILogger logger, string method, int statusCode, int bytes, string reason, string uri);

    [LoggerMessage(1005, LogLevel.Warning, "Last.fm {Method} transport failure: {Reason}; {Uri}")]
    public static partial void TransportFailure(ILogger logger, string method, string reason, string uri);

    [LoggerMessage(1006, LogLevel.Warning, "Retrying a Last.fm request (retry {Retry}) in {DelayMs:F0} ms after: {Reason}")]
    public static partial void RetryScheduled(ILogger logger, int retry, double delayMs, string reason);

    [LoggerMessage(1007, LogLevel.Error, "Last.fm circuit opened for {BreakSeconds:F0} s after repeated transient failures: {Reason}")]
    public static partial void CircuitOpened(ILogger logger, double breakSeconds, string reason);

    [LoggerMessage(1008, LogLevel.Information, "Last.fm circuit closed")]
    public static partial void CircuitClosed(ILogger logger);

    [LoggerMessage(1009, LogLevel.Debug, "Waited {WaitMs:F0} ms for a Last.fm request permit ({PerWindow} per {Window})")]
    public static partial void WaitedForPermit(ILogger logger, double waitMs, int perWindow, TimeSpan window);

    [LoggerMessage(1010, LogLevel.Debug, "Last.fm {Method} page {Page} of {TotalPages} gave {Count} items ({Collected}/{Limit} collected)")]
    public static partial void PageFetched(ILogger logger, string method, int page, int totalPages, int count, int collected, int limit);

    [LoggerMessage(1011, LogLevel.Warning, "Last.fm {Method} page {Page} (of {TotalPages} claimed) repeated items already received: the server ignores paging; the list ends here")]
    public static partial void PageRepeated(ILogger logger, string method, int page, int totalPages);

    [LoggerMessage(1012, LogLevel.Warning, "Last.fm {Method} answered HTTP {StatusCode} redirecting to another host ({Location}): not followed, the request fails")]
    public static partial void RedirectRefused(ILogger logger, string method, int statusCode, string location);
}
