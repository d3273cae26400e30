using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Tastebuds.Worker.Cli;
using Tastebuds.Worker.Database;

namespace Tastebuds.Tests.Support;

/// <summary>One database of the test cluster, dropped on dispose (unless its cluster is thrown away whole).</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string _admin;
    private readonly bool _drop;

    internal TestDatabase(string adminConnectionString, string name, bool dropOnDispose = true)
    {
        _admin = adminConnectionString;
        _drop = dropOnDispose;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name, Pooling = true }.ConnectionString;
        DataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    /// <summary>
    /// A new empty database on the cluster of <paramref name="adminConnectionString"/>; migrated with the worker's real
    /// migrator unless <paramref name="migrate"/> is false. <paramref name="dropOnDispose"/> is false on a cluster that is
    /// deleted whole (and may be stopped when the database is disposed).
    /// </summary>
    internal static async Task<TestDatabase> CreateAsync(string adminConnectionString, bool migrate, bool dropOnDispose = true)
    {
        var name = $"tb_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(adminConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        var database = new TestDatabase(adminConnectionString, name, dropOnDispose);
        if (migrate)
        {
            await database.MigrateAsync();
        }

        return database;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    /// <summary>The worker's real host, pointed at this database; settings may be overridden.</summary>
    public IHost BuildHost(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var overrides = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
        // A test may route the worker through something of its own (e.g. a TcpGate) by setting the connection string.
        overrides.TryAdd($"ConnectionStrings:{DatabaseOptions.ConnectionStringName}", ConnectionString);
        overrides.TryAdd("Logging:LogLevel:Default", "Warning");
        // A started host must not collide with another on the operations port 9464.
        overrides.TryAdd("Telemetry:Port", "0");
        overrides.TryAdd("Telemetry:BindAddress", "127.0.0.1");
        var builder = WorkerHost.CreateBuilder(overrides);
        services?.Invoke(builder.Services);
        return builder.Build();
    }

    public async Task<MigrationResult> MigrateAsync()
    {
        using var host = BuildHost();
        await WorkerHost.PrepareAsync(host, CancellationToken.None);
        return await host.Services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None);
    }

    /// <summary>
    /// Applies the migrations whose names sort before <paramref name="firstLeftOut"/> ("0014"), journaled as the worker
    /// journals them, so that a test can fill the schema as it was and then <see cref="MigrateAsync"/> the rest.
    /// </summary>
    public void MigrateBefore(string firstLeftOut)
    {
        var result = DbUp.DeployChanges.To
            .PostgresqlDatabase(new DbUp.Postgresql.PostgresqlConnectionManager(DataSource))
            .WithScripts(SchemaMigrator.Scripts.Where(s => string.CompareOrdinal(s.Name, firstLeftOut) < 0))
            .WithTransactionPerScript()
            .WithVariablesDisabled()
            .JournalToPostgresqlTable("public", "schemaversions")
            .LogToNowhere()
            .Build()
            .PerformUpgrade();
        if (!result.Successful)
        {
            throw new InvalidOperationException($"Migrating before {firstLeftOut} failed: {result.Error?.Message}", result.Error);
        }
    }

    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        if (!_drop)
        {
            return;
        }

        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
