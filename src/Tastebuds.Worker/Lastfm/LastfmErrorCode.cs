namespace Tastebuds.Worker.Lastfm;

/// <summary>The <c>error</c> numbers of Last.fm error bodies (https://www.last.fm/api/errorcodes, plus 17 seen in the wild).</summary>
public enum LastfmErrorCode
{
    None = 0,
    InvalidService = 2,
    InvalidMethod = 3,
    AuthenticationFailed = 4,
    InvalidFormat = 5,
    /// <summary>Invalid parameters; for user.* methods "User not found".</summary>
    InvalidParameters = 6,
    InvalidResource = 7,
    OperationFailed = 8,
    InvalidSessionKey = 9,
    InvalidApiKey = 10,
    ServiceOffline = 11,
    InvalidMethodSignature = 13,
    TemporaryError = 16,
    /// <summary>"Login: User required to be logged in": the profile hides its listening data.</summary>
    LoginRequired = 17,
    SuspendedApiKey = 26,
    RateLimitExceeded = 29,
}

internal static class LastfmErrorCodes
{
    public static bool IsTransient(LastfmErrorCode code) => code is LastfmErrorCode.OperationFailed
        or LastfmErrorCode.ServiceOffline or LastfmErrorCode.TemporaryError or LastfmErrorCode.RateLimitExceeded;

    public static bool IsUserUnavailable(LastfmErrorCode code) =>
        code is LastfmErrorCode.InvalidParameters or LastfmErrorCode.LoginRequired;

    public static bool IsKeyRejected(LastfmErrorCode code) =>
        code is LastfmErrorCode.InvalidApiKey or LastfmErrorCode.SuspendedApiKey;
}
