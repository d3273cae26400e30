using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Tastebuds.Worker.Database;

/// <summary>
/// Checks <c>ConnectionStrings:Postgres</c> with the rest of the configuration, before anything connects. Npgsql's
/// own error quotes the malformed part, which may be the password, so the message never shows the string.
/// </summary>
internal sealed class ConnectionStringValidator(IConfiguration configuration) : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        var connectionString = configuration.GetConnectionString(DatabaseOptions.ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return ValidateOptionsResult.Success;
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException)
        {
            return ValidateOptionsResult.Fail(
                $"ConnectionStrings:{DatabaseOptions.ConnectionStringName} = (not shown, it may hold the password): must be Npgsql "
                + "Key=Value pairs separated by ';' with known keys, e.g. Host=db;Port=5432;Database=tastebuds;Username=tastebuds;Password=...");
        }
    }
}
