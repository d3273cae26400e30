using Microsoft.Extensions.Logging;

namespace Tastebuds.Worker.Fetching;

internal static partial class FetchingLog
{
    [LoggerMessage(3001, LogLevel.Information, "Fetch run {RunId} started for {Users} user(s)")]
    public static partial void RunStarted(ILogger logger, Guid runId, int users);

    [LoggerMessage(3002, LogLevel.Information, "Fetch run {RunId} finished: {Succeeded} succeeded, {Unchanged} unchanged, {Skipped} skipped, {Failed} failed in {Seconds:0.0} s")]
    public static partial void RunFinished(ILogger logger, Guid runId, int succeeded, int unchanged, int skipped, int failed, double seconds);

    [LoggerMessage(3003, LogLevel.Debug, "Fetched {Username}: {Tracks} tracks, {Albums} albums, {Artists} artists, {Requests} requests")]
    public static partial void UserFetched(ILogger logger, string username, int tracks, int albums, int artists, int requests);

    [LoggerMessage(3004, LogLevel.Information, "Skipped {Username}: Last.fm error {Code}: {Message}")]
    public static partial void UserSkipped(ILogger logger, string username, int code, string message);

    [LoggerMessage(3005, LogLevel.Warning, "Fetching {Username} failed: {Message}")]
    public static partial void UserFailed(ILogger logger, string username, string message);

    [LoggerMessage(3006, LogLevel.Error, "Last.fm rejected the API key (error {Code}: {Message}); the fetch run stops")]
    public static partial void KeyRejected(ILogger logger, int code, string message);

    [LoggerMessage(3007, LogLevel.Warning, "Fetch run {RunId} cancelled while fetching {Username}; that user's previous data is kept")]
    public static partial void RunCancelled(ILogger logger, Guid runId, string username);

    [LoggerMessage(3008, LogLevel.Information, "Another fetch run with the same API key is in progress; waiting for it to finish")]
    public static partial void WaitingForFetchLock(ILogger logger);

    [LoggerMessage(3009, LogLevel.Warning, "Data from Last.fm for {Username}: {Warning}")]
    public static partial void DataWarning(ILogger logger, string username, string warning);

    [LoggerMessage(3010, LogLevel.Error, "Fetch run {RunId} ends failed with {Unfinished} user(s) not fetched: {Reason}")]
    public static partial void DatabaseLost(ILogger logger, Guid runId, int unfinished, string reason);

    [LoggerMessage(3011, LogLevel.Error, "Fetch run {RunId} stops with {Unfinished} user(s) not fetched: after a database outage another run holds the API key's fetch lock")]
    public static partial void FetchLockLost(ILogger logger, Guid runId, int unfinished);

    [LoggerMessage(3020, LogLevel.Debug, "{Username} unchanged since the last full fetch (play count and loved tracks): {Requests} requests")]
    public static partial void UserUnchanged(ILogger logger, string username, int requests);
}
