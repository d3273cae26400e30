using System.Reflection;
using DbUp;
using DbUp.Engine;
using DbUp.Postgresql;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Tastebuds.Worker.Database;

/// <summary>
/// Applies the embedded <c>sql/NNNN_*.sql</c> scripts with DbUp, each in its own transaction, under a
/// PostgreSQL <see cref="AdvisoryLock"/> so replicas starting together apply every script once. DbUp's connections
/// come from the registered data source like every other.
/// </summary>
public sealed class SchemaMigrator(NpgsqlDataSource dataSource, IOptions<DatabaseOptions> options, TimeProvider time, ILogger<SchemaMigrator> logger)
{
    /// <summary>Key of the session advisory lock held while migrating ("tastebud" in ASCII).</summary>
    public const long AdvisoryLockKey = 0x7461_7374_6562_7564;

    private const string ResourcePrefix = "Tastebuds.Sql.";

    /// <summary>The scripts this binary carries, in the order they apply.</summary>
    public static IReadOnlyList<SqlScript> Scripts { get; } = LoadScripts();

    public async Task<MigrationResult> MigrateAsync(CancellationToken ct)
    {
        var timeout = options.Value.MigrationLockTimeout;
        await using var held = await AdvisoryLock.WaitAsync(dataSource, AdvisoryLockKey, timeout, time, () => DatabaseLog.WaitingForMigrationLock(logger), ct)
            ?? throw new MigrationFailedException("(lock)", $"another process held the migration lock for longer than {timeout}", null);
        var upgrader = DeployChanges.To
            .PostgresqlDatabase(new PostgresqlConnectionManager(dataSource))
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
