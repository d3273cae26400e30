using System.Net;

namespace Tastebuds.Worker.Lastfm;

/// <summary>
/// A Last.fm call failed and will not be retried (any more). Messages carry the method and the
/// error, never the API key: <see cref="RequestUri"/> is redacted (<c>api_key=***</c>).
/// </summary>
public class LastfmApiException : Exception
{
    public LastfmApiException(string message, LastfmErrorCode errorCode = LastfmErrorCode.None,
        string? apiMessage = null, HttpStatusCode? statusCode = null, string? requestUri = null, Exception? inner = null)
        : base(message, inner)
    {
        ErrorCode = errorCode;
        ApiMessage = apiMessage;
        StatusCode = statusCode;
        RequestUri = requestUri;
    }

    public LastfmApiException() : this("Last.fm call failed.")
    {
    }

    public LastfmApiException(string message) : this(message, LastfmErrorCode.None)
    {
    }

    public LastfmApiException(string message, Exception inner) : this(message, LastfmErrorCode.None, inner: inner)
    {
    }

    /// <summary>The body's <c>error</c> number, or <see cref="LastfmErrorCode.None"/> when the body had none.</summary>
    public LastfmErrorCode ErrorCode { get; }

    /// <summary>The body's <c>message</c>, as Last.fm wrote it.</summary>
    public string? ApiMessage { get; }

    public HttpStatusCode? StatusCode { get; }

    /// <summary>The request URI with the API key redacted.</summary>
    public string? RequestUri { get; }

    internal static string Describe(LastfmErrorCode code, string? apiMessage, HttpStatusCode? status, string? uri) =>
        FormattableString.Invariant(
            $"Last.fm error {(int)code} ({code}): {apiMessage ?? "(no message)"}; HTTP {(int?)status}; {uri}");
}

/// <summary>Error 6 (no such user) or 17 (private profile): skip this user, do not retry.</summary>
public sealed class LastfmUserUnavailableException : LastfmApiException
{
    public LastfmUserUnavailableException(LastfmErrorCode code, string? apiMessage, HttpStatusCode? status, string? uri)
        : base(Describe(code, apiMessage, status, uri), code, apiMessage, status, uri)
    {
    }

    public LastfmUserUnavailableException() : base("The Last.fm user is not available.")
    {
    }

    public LastfmUserUnavailableException(string message) : base(message)
    {
    }

    public LastfmUserUnavailableException(string message, Exception inner) : base(message, inner)
    {
    }
}

/// <summary>Error 10 (invalid key) or 26 (suspended key): stop the run at once; every further call would fail.</summary>
public sealed class LastfmKeyRejectedException : LastfmApiException
{
    public LastfmKeyRejectedException(LastfmErrorCode code, string? apiMessage, HttpStatusCode? status, string? uri)
        : base(Describe(code, apiMessage, status, uri), code, apiMessage, status, uri)
    {
    }

    public LastfmKeyRejectedException() : base("The Last.fm API key was rejected.")
    {
    }

    public LastfmKeyRejectedException(string message) : base(message)
    {
    }

    public LastfmKeyRejectedException(string message, Exception inner) : base(message, inner)
    {
    }
}

/// <summary>
/// A failure worth retrying: error 8, 11, 16, 29, HTTP 5xx/429/408, a cut-off or malformed body.
/// Thrown inside the resilience pipeline (which retries it); reaches the caller once retries are spent.
/// </summary>
public sealed class LastfmTransientException : LastfmApiException
{
    public LastfmTransientException(string message, LastfmErrorCode code, string? apiMessage, HttpStatusCode? status,
        string? uri, TimeSpan? retryAfter = null, Exception? inner = null)
        : base(message, code, apiMessage, status, uri, inner)
    {
        RetryAfter = retryAfter;
    }

    public LastfmTransientException() : base("Last.fm failed transiently.")
    {
    }

    public LastfmTransientException(string message) : base(message)
    {
    }

    public LastfmTransientException(string message, Exception inner) : base(message, inner)
    {
    }

    /// <summary>The server's <c>Retry-After</c>, when it sent one.</summary>
    public TimeSpan? RetryAfter { get; }
}

/// <summary>
/// A response named another user than the one asked for (<c>user.getInfo</c>'s <c>name</c> or a list's
/// <c>@attr.user</c>): storing it would put one user's data under another's name. Not retried; the user fails.
/// </summary>
public sealed class LastfmWrongUserException : LastfmApiException
{
    public LastfmWrongUserException(string method, string asked, string answered, string? uri)
        : base($"Last.fm {method} for user '{asked}': response was for user '{answered}'; nothing of it is stored; {uri}",
            LastfmErrorCode.None, requestUri: uri)
    {
        AnsweredFor = answered;
    }

    public LastfmWrongUserException() : base("The Last.fm response was for another user.")
    {
    }

    public LastfmWrongUserException(string message) : base(message)
    {
    }

    public LastfmWrongUserException(string message, Exception inner) : base(message, inner)
    {
    }

    /// <summary>The user the response named.</summary>
    public string? AnsweredFor { get; }
}
