using Microsoft.Extensions.Logging;

namespace Tastebuds.Worker.NewUsers;

internal static partial class NewUsersLog
{
    [LoggerMessage(7001, LogLevel.Information, "New users: fetching {Count} never-fetched user(s)")]
    public static partial void Fetching(ILogger logger, int count);

    [LoggerMessage(7002, LogLevel.Information,
        "New user {Username} served: {Neighbours} neighbour rows, entered {Lists} other lists, {Recommendations} recommendations in {Seconds:0.000} s ({Latency:0.0} s after their fetch)")]
    public static partial void Served(ILogger logger, string username, long neighbours, int lists, long recommendations, double seconds, double latency);

    [LoggerMessage(7003, LogLevel.Error, "New user {Username}: the incremental step failed; the next full run serves them")]
    public static partial void Failed(ILogger logger, string username, Exception exception);

    [LoggerMessage(7004, LogLevel.Information,
        "New users: a full similarity or recommendation run holds the results lock; {Count} user(s) wait for the next poll")]
    public static partial void ResultsBusy(ILogger logger, int count);

    [LoggerMessage(7005, LogLevel.Information,
        "New users: another fetch run holds the API key's lock; it fetches never-fetched users first, and this job serves them after")]
    public static partial void FetchBusy(ILogger logger);

    [LoggerMessage(7006, LogLevel.Warning, "New users: the database is away ({Reason}); the next poll tries again")]
    public static partial void DatabaseAway(ILogger logger, string reason);
}
