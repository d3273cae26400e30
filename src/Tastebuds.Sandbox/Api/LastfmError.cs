namespace Tastebuds.Sandbox.Api;

/// A Last.fm error: code, HTTP status and the real message. Bodies are `{"message":...,"error":N}`
/// (the modern key order), with '/' escaped as Last.fm does.
internal sealed record LastfmError(int Code, int Status, string Message)
{
    public static readonly LastfmError InvalidMethod = new(3, 400, "Invalid Method - No method with that name in this package");
    public static readonly LastfmError UserNotFound = new(6, 404, "User not found");
    public static readonly LastfmError MissingParameter = new(6, 400, "Invalid parameters - Your request is missing a required parameter");
    public static readonly LastfmError PageOutOfBounds = new(6, 400, "page param out of bounds (1-1000000)");
    public static readonly LastfmError OperationFailed = new(8, 500, "Operation failed - Most likely the backend service failed. Please try again.");
    public static readonly LastfmError InvalidApiKey = new(10, 403, "Invalid API key - You must be granted a valid key by last.fm");
    public static readonly LastfmError ServiceOffline = new(11, 503, "Service Offline - This service is temporarily offline. Try again later.");

    // Last.fm sends some errors with HTTP 200 (see error.6.track-not-found.json): clients must read the body.
    public static readonly LastfmError Temporary = new(16, 200, "There was a temporary error processing your request. Please try again");
    public static readonly LastfmError LoginRequired = new(17, 403, "Login: User required to be logged in");
    public static readonly LastfmError SuspendedApiKey = new(26, 403, "Suspended API key - Access for your account has been suspended, please contact Last.fm");
    public static readonly LastfmError RateLimited = new(29, 429,
        "Rate Limit Exceeded - This application has made too many requests in a short period. If this is your API key, see https://www.last.fm/api/tos#4.4 for information about raising the limit.");

    public byte[] Body() => JsonWire.Write(
        w =>
        {
            w.WriteStartObject();
            w.WriteString("message", Message);
            w.WriteNumber("error", Code);
            w.WriteEndObject();
        },
        escapeSlashes: true);
}
