using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Npgsql;
using Tastebuds.Worker.Database;

namespace Tastebuds.Worker.Cli;

/// <summary>Runs one operator verb: prepares the host, runs the body, and turns failures into a clear line and an exit code.</summary>
internal static class Verb
{
    /// <param name="body">The verb's work, on a prepared host.</param>
    /// <param name="configure">Runs before the host is built (e.g. to start the sandbox and point the client at it); what it returns is disposed after the host.</param>
    /// <param name="prepareDatabase">False for verbs that may not need a database (e.g. <c>evaluate</c> on a file): configuration is still validated, and the body calls <see cref="DatabaseEndpoint.EnsureAsync"/> itself if it needs one.</param>
    /// <param name="migrate">
    /// True for verbs that write (fetch, run-once, similarities, recommendations): the migrations are applied first.
    /// The migrator is idempotent and holds an advisory lock, so this is safe beside a running daemon.
    /// </param>
    /// <param name="showsProgress">The verb draws <see cref="FetchProgressDisplay"/>: on a terminal, console logs below Warning would tear it.</param>
    public static async Task<int> RunAsync(
        Func<IHost, CancellationToken, Task<int>> body,
        Func<HostApplicationBuilder, CancellationToken, Task<IAsyncDisposable?>>? configure = null,
        bool prepareDatabase = true,
        bool migrate = false,
        bool showsProgress = false)
    {
        using var cancel = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        try
        {
            var builder = WorkerHost.CreateBuilder();
            if (showsProgress && FetchProgressDisplay.Enabled && !Console.IsErrorRedirected)
            {
                // The progress bar carries what the Information lines would say; warnings and errors still show.
                builder.Logging.AddFilter<ConsoleLoggerProvider>(null, LogLevel.Warning);
            }

            await using var companion = configure is null ? null : await configure(builder, cancel.Token);
            using var host = builder.Build();
            if (prepareDatabase)
            {
                await WorkerHost.PrepareAsync(host, cancel.Token);
                if (migrate)
                {
                    await MigrateAsync(host.Services, cancel.Token);
                }
            }
            else
            {
                WorkerHost.ValidateConfiguration(host.Services);
            }

            try
            {
                return await body(host, cancel.Token);
            }
            finally
            {
                // Stops the embedded PostgreSQL unless told to keep it running.
                if (host.Services is IAsyncDisposable services)
                {
                    await services.DisposeAsync();
                }
            }
        }
        catch (Exception e)
        {
            return Report(e);
        }

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            cancel.Cancel();
        }
    }

    /// <summary>
    /// Applies pending migrations (said on stdout only when there was something to apply), then marks abandoned the
    /// log rows of processes on this machine that are gone, so a crashed run does not read as running.
    /// </summary>
    private static async Task MigrateAsync(IServiceProvider services, CancellationToken ct)
    {
        var result = await services.GetRequiredService<SchemaMigrator>().MigrateAsync(ct);
        if (result.Applied.Count > 0)
        {
            Console.WriteLine($"Schema    {result.Applied.Count} migration script(s) applied, now at {result.Version}");
        }

        await services.GetRequiredService<Scheduling.AbandonedRuns>().MarkAsync(daemonStart: false, ct);
    }

    /// <summary>
    /// One line (or one per bad setting) on stderr, and the exit code for what went wrong. Messages quote outside text
    /// (setting values, PostgreSQL's errors), so they are printed with control characters escaped.
    /// </summary>
    public static int Report(Exception e)
    {
        switch (e)
        {
            case OptionsValidationException invalid:
                foreach (var failure in invalid.Failures)
                {
                    Console.Error.WriteLine($"Configuration error: {TerminalText.Escape(failure)}");
                }

                return ExitCodes.ConfigurationError;
            case AggregateException aggregate when aggregate.InnerExceptions.All(i => i is OptionsValidationException):
                foreach (var failure in aggregate.InnerExceptions.Cast<OptionsValidationException>().SelectMany(i => i.Failures))
                {
                    Console.Error.WriteLine($"Configuration error: {TerminalText.Escape(failure)}");
                }

                return ExitCodes.ConfigurationError;
            case EmbeddedPostgresException embedded:
                Console.Error.WriteLine($"Database error: {TerminalText.EscapeLines(embedded.Message)}");
                return ExitCodes.DatabaseUnavailable;
            case MigrationFailedException migration:
                Console.Error.WriteLine(TerminalText.EscapeLines(migration.Message));
                return ExitCodes.DatabaseUnavailable;
            case PostgresException { SqlState: PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.UndefinedFunction } missing:
                // A read-only verb against a database that was never migrated.
                Console.Error.WriteLine($"Database not migrated ({TerminalText.Escape(missing.MessageText)}): run 'migrate' first.");
                return ExitCodes.DatabaseUnavailable;
            case DatabaseOutageException outage:
                Console.Error.WriteLine(TerminalText.EscapeLines(Configuration.Secrets.Redact(outage.Message)));
                return ExitCodes.DatabaseUnavailable;
            case NpgsqlException or System.Net.Sockets.SocketException:
                Console.Error.WriteLine($"Database unreachable: {TerminalText.EscapeLines(Configuration.Secrets.Redact(e.Message))}");
                return ExitCodes.DatabaseUnavailable;
            case Fetching.FetchRunInProgressException busy:
                Console.Error.WriteLine(busy.Message);
                return ExitCodes.Failed;
            case OperationCanceledException:
                Console.Error.WriteLine("Cancelled.");
                return ExitCodes.Cancelled;
            default:
                Console.Error.WriteLine($"Failed: {e.GetType().Name}: {TerminalText.EscapeLines(Configuration.Secrets.Redact(e.Message))}");
                return ExitCodes.Failed;
        }
    }
}
