using System.Collections.Immutable;
using Npgsql;

namespace Tastebuds.Worker.Configuration;

/// <summary>
/// The values that must never leave the process (the Last.fm API key, the database password), registered as soon
/// as they are known, and removed from any text that came from outside before it is logged, stored or exported:
/// Last.fm's error messages and bodies (a server may echo the request), exception messages, transport errors.
/// Process-wide on purpose: exception text is built far from any container.
/// </summary>
public static class Secrets
{
    public const string Mask = "***";

    /// <summary>Shorter values are not worth hunting (and "***" would then mask ordinary words).</summary>
    private const int MinimumLength = 4;

    private static ImmutableArray<string> _values = [];

    public static void Register(string? secret)
    {
        if (secret is null || secret.Length < MinimumLength)
        {
            return;
        }

        // As written, and as it travels in a query string (both percent-encoding cases).
        var escaped = Uri.EscapeDataString(secret);
        string[] forms = [secret, escaped, escaped.ToLowerInvariant(), escaped.ToUpperInvariant()];
        ImmutableInterlocked.Update(ref _values, values =>
            values.AddRange(forms.Where(f => !values.Contains(f, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal))
                .Sort((a, b) => b.Length.CompareTo(a.Length)));
    }

    /// <summary>Registers the password of a connection string (when it has one).</summary>
    public static void RegisterConnectionString(string connectionString)
    {
        try
        {
            Register(new NpgsqlConnectionStringBuilder(connectionString).Password);
        }
        catch (ArgumentException)
        {
            // A malformed string is reported by validation, never quoted.
        }
    }

    /// <summary>The text with every registered secret replaced by <see cref="Mask"/>.</summary>
    public static string Redact(string text)
    {
        foreach (var secret in _values)
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        return text;
    }

    public static string? RedactOrNull(string? text) => text is null ? null : Redact(text);
}
