using Microsoft.Extensions.Logging;

namespace Tastebuds.Worker.Database;

internal static partial class DatabaseLog
{
    [LoggerMessage(2001, LogLevel.Information, "Creating the embedded PostgreSQL cluster in {DataDirectory}")]
    public static partial void CreatingEmbedded(ILogger logger, string dataDirectory);

    [LoggerMessage(2002, LogLevel.Information, "Starting the embedded PostgreSQL in {DataDirectory} on 127.0.0.1:{Port}")]
    public static partial void StartingEmbedded(ILogger logger, string dataDirectory, int port);

    [LoggerMessage(2003, LogLevel.Information, "Reusing the embedded PostgreSQL already running in {DataDirectory} on 127.0.0.1:{Port}")]
    public static partial void ReusingEmbedded(ILogger logger, string dataDirectory, int port);

    [LoggerMessage(2004, LogLevel.Warning, "Stopping the embedded PostgreSQL in {DataDirectory} failed: {Output}")]
    public static partial void EmbeddedStopFailed(ILogger logger, string dataDirectory, string output);

    [LoggerMessage(2010, LogLevel.Information, "Waiting for the migration lock")]
    public static partial void WaitingForMigrationLock(ILogger logger);

    [LoggerMessage(2011, LogLevel.Information, "Applied migration {Script}")]
    public static partial void AppliedMigration(ILogger logger, string script);

    [LoggerMessage(2012, LogLevel.Information, "Schema is up to date at {Version}")]
    public static partial void SchemaUpToDate(ILogger logger, string version);

    [LoggerMessage(2013, LogLevel.Error, "Migration {Script} failed: {Error}")]
    public static partial void MigrationFailed(ILogger logger, string script, string error);

    [LoggerMessage(2014, LogLevel.Warning, "Marked {Count} log row(s) left running by a process that ended as abandoned")]
    public static partial void MarkedAbandoned(ILogger logger, int count);

    [LoggerMessage(2015, LogLevel.Warning, "Database unavailable ({Reason}); retrying in {DelaySeconds:0.#} s, {ElapsedSeconds:0} s into the outage (tolerance {Tolerance})")]
    public static partial void WaitingForDatabase(ILogger logger, string reason, double delaySeconds, double elapsedSeconds, TimeSpan tolerance);

    [LoggerMessage(2016, LogLevel.Error, "Could not record the end of log row {Id} ({Status}): {Reason}; the next start marks it abandoned")]
    public static partial void LogCompletionLost(ILogger logger, long id, string status, string reason);
}
