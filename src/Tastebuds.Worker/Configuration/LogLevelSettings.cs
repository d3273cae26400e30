using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Tastebuds.Worker.Configuration;

/// <summary>
/// The <c>Logging</c> section is read by the host's logging itself, which throws a bare "Configuration value 'x' is
/// not supported" at the first logger, before our validation runs. Its levels are checked here first, in the house
/// format (<c>Logging:LogLevel:Default = 'verbose': must be one of ...</c>), so a bad one is a configuration error too.
/// </summary>
internal static class LogLevelSettings
{
    private static readonly string Levels = string.Join(", ", Enum.GetNames<LogLevel>());

    public static void Validate(IConfiguration configuration)
    {
        var failures = configuration.GetSection("Logging").AsEnumerable()
            .Where(s => s.Value is not null && IsLevel(s.Key) && !Enum.TryParse<LogLevel>(s.Value, ignoreCase: true, out _))
            .Select(s => $"{s.Key} = '{s.Value}': must be one of {Levels}")
            .ToList();
        if (failures.Count > 0)
        {
            throw new OptionsValidationException("Logging", typeof(LoggerFilterOptions), failures);
        }
    }

    /// <summary><c>Logging:LogLevel:Category</c> or <c>Logging:Provider:LogLevel:Category</c>.</summary>
    private static bool IsLevel(string key)
    {
        var parts = key.Split(':');
        return parts.Length >= 3 && string.Equals(parts[^2], "LogLevel", StringComparison.OrdinalIgnoreCase);
    }
}
