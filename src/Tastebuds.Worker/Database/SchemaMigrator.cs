using System.Reflection;
using DbUp;
using DbUp.Engine;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Tastebuds.Worker.Database;

/// <summary>
/// Applies the embedded <c>sql/NNNN_*.sql</c> scripts with DbUp, each in its own transaction, under a
/// PostgreSQL advisory lock so replicas starting together apply every script once.
/// </summary>
public sealed class SchemaMigrator(DatabaseEndpoint endpoint, IOptions<DatabaseOptions> options, TimeProvider time, ILogger<SchemaMigrator> logger)
{
    /// <summary>Key of the session advisory lock held while migrating ("tastebud" in ASCII).</summary>
    public const long AdvisoryLockKey = 0x7461_7374_6562_7564;

    private const string ResourcePrefix = "Tastebuds.Sql.";

    /// <summary>The scripts this binary carries, in the order they apply.</summary>
    public static IReadOnlyList<SqlScript> Scripts { get; } = LoadScripts();

    public async Task<MigrationResult> MigrateAsync(CancellationToken ct)
    {
        await using var lockConnection = new NpgsqlConnection(endpoint.ConnectionString);
        await lockConnection.OpenAsync(ct);
        await AcquireLockAsync(lockConnection, ct);
        try
        {
            var upgrader = DeployChanges.To
                .PostgresqlDatabase(endpoint.ConnectionString)
                .WithScripts(Scripts)
                .WithTransactionPerScript()
                .WithVariablesDisabled()
                .JournalToPostgresqlTable("public", "schemaversions")
                .LogToNowhere()
                .Build();

            // DbUp is synchronous; keep it off the caller's thread so the host stays responsive.
            var result = await Task.Run(upgrader.PerformUpgrade, ct);
            if (!result.Successful)
            {
                var script = result.ErrorScript?.Name ?? "(unknown script)";
                var error = result.Error?.Message ?? "unknown error";
                DatabaseLog.MigrationFailed(logger, script, error);
                throw new MigrationFailedException(script, error, result.Error);
            }

            var applied = result.Scripts.Select(s => s.Name).ToList();
            foreach (var name in applied)
            {
                DatabaseLog.AppliedMigration(logger, name);
            }

            var version = Scripts[^1].Name;
            DatabaseLog.SchemaUpToDate(logger, version);
            return new MigrationResult(applied, version);
        }
        finally
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", lockConnection)
            {
                Parameters = { new() { Value = AdvisoryLockKey } },
            };
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>The scripts already recorded in the journal, oldest first (empty on a new database).</summary>
    public async Task<IReadOnlyList<string>> AppliedScriptsAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(endpoint.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            "SELECT scriptname FROM schemaversions ORDER BY schemaversionsid", connection);
        try
        {
            var names = new List<string>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                names.Add(reader.GetString(0));
            }

            return names;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return [];
        }
    }

    private async Task AcquireLockAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var deadline = time.GetUtcNow() + options.Value.MigrationLockTimeout;
        var logged = false;
        while (true)
        {
            await using var tryLock = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection)
            {
                Parameters = { new() { Value = AdvisoryLockKey } },
            };
            if ((bool)(await tryLock.ExecuteScalarAsync(ct))!)
            {
                return;
            }

            if (time.GetUtcNow() > deadline)
            {
                throw new MigrationFailedException(
                    "(lock)", $"another process held the migration lock for longer than {options.Value.MigrationLockTimeout}", null);
            }

            if (!logged)
            {
                DatabaseLog.WaitingForMigrationLock(logger);
                logged = true;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), time, ct);
        }
    }

    private static List<SqlScript> LoadScripts()
    {
        var assembly = Assembly.GetExecutingAssembly();
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n =>
            {
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var reader = new StreamReader(stream);
                return new SqlScript(n[ResourcePrefix.Length..], reader.ReadToEnd());
            })
            .ToList();
    }
}

/// <summary>What a migration run did: the scripts it applied now (empty when up to date) and the schema version.</summary>
public sealed record MigrationResult(IReadOnlyList<string> Applied, string Version);

/// <summary>A script failed; names it and carries PostgreSQL's error.</summary>
public sealed class MigrationFailedException(string script, string error, Exception? inner)
    : Exception($"Migration {script} failed: {error}", inner)
{
    public string Script { get; } = script;
}
