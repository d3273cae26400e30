using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Tastebuds.Worker.Database;

/// <summary>
/// The database the worker talks to: <c>ConnectionStrings:Postgres</c> when set, otherwise the embedded
/// PostgreSQL, started by <see cref="EnsureAsync"/> before anything opens a connection.
/// </summary>
public sealed class DatabaseEndpoint(IConfiguration configuration, IOptions<DatabaseOptions> options, ILogger<DatabaseEndpoint> logger)
    : IAsyncDisposable
{
    private string? _connectionString;

    public EmbeddedPostgres? Embedded { get; private set; }

    /// <summary>The resolved connection string. Holds the password: never log it, print <see cref="Describe"/> instead.</summary>
    public string ConnectionString =>
        _connectionString ?? throw new InvalidOperationException("The database endpoint is used before EnsureAsync resolved it.");

    public async Task EnsureAsync(CancellationToken ct)
    {
        if (_connectionString is not null)
        {
            return;
        }

        var configured = configuration.GetConnectionString(DatabaseOptions.ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            Configuration.Secrets.RegisterConnectionString(configured);
            _connectionString = configured;
            return;
        }

        Embedded = await EmbeddedPostgres.StartAsync(options.Value.Embedded, logger, ct);
        Configuration.Secrets.RegisterConnectionString(Embedded.ConnectionString);
        _connectionString = Embedded.ConnectionString;
    }

    /// <summary>Where the data lives, without secrets.</summary>
    public string Describe()
    {
        if (Embedded is not null)
        {
            return Embedded.Describe() + (Embedded.StartedHere ? string.Empty : " (already running)");
        }

        var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
        return $"PostgreSQL on {builder.Host}:{builder.Port}, database '{builder.Database}', user '{builder.Username}'";
    }

    public async ValueTask DisposeAsync()
    {
        if (Embedded is not null)
        {
            await Embedded.DisposeAsync();
        }
    }
}
