using System.ComponentModel.DataAnnotations;
using Npgsql;
using Tastebuds.Worker.Configuration;

namespace Tastebuds.Worker.Database;

/// <summary>
/// The <c>ConnectionStrings</c> section, bound only to be validated with the rest of the configuration before
/// anything connects; <see cref="DatabaseEndpoint"/> reads the string itself.
/// </summary>
internal sealed class ConnectionStringsOptions
{
    public const string SectionName = "ConnectionStrings";

    /// <summary>
    /// <c>ConnectionStrings:Postgres</c> (<see cref="DatabaseOptions.ConnectionStringName"/>); empty = the embedded PostgreSQL.
    /// A secret: it may hold the password.
    /// </summary>
    [Secret]
    [NpgsqlConnectionString]
    public string? Postgres { get; set; }
}

/// <summary>A string Npgsql accepts. Npgsql's own error quotes the malformed part, which may be the password: never shown.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class NpgsqlConnectionStringAttribute() : ValidationAttribute(
    "must be Npgsql Key=Value pairs separated by ';' with known keys, e.g. Host=db;Port=5432;Database=tastebuds;Username=tastebuds;Password=...")
{
    public override bool IsValid(object? value)
    {
        if (value is not string connectionString || string.IsNullOrWhiteSpace(connectionString))
        {
            return true;
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
