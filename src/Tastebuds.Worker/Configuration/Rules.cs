using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;

namespace Tastebuds.Worker.Configuration;

/// <summary>Messages in the house format ("must be ...") for the stock attributes.</summary>
internal static class Rule
{
    public const string Range = "must be between {1} and {2}";
    public const string Required = "is required";

    /// <summary>
    /// The rule of a value that is not of its setting's type, with the setting's bounds when it has any, so that one
    /// message says what to write: <c>must be a whole number between 0 and 20</c>.
    /// </summary>
    public static string Conversion(Type type, PropertyInfo? property)
    {
        var range = property?.GetCustomAttribute<RangeAttribute>();
        var between = range is null ? "" : string.Create(CultureInfo.InvariantCulture, $" between {range.Minimum} and {range.Maximum}");
        if (type == typeof(bool))
        {
            return "must be true or false";
        }

        if (type == typeof(int) || type == typeof(long))
        {
            // Without declared bounds, the type's: 2147483648 is a whole number, just not one that fits.
            var (min, max) = type == typeof(int) ? (int.MinValue, int.MaxValue) : (long.MinValue, long.MaxValue);
            return "must be a whole number" + (range is null ? string.Create(CultureInfo.InvariantCulture, $" between {min} and {max}") : between);
        }

        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
        {
            return $"must be a number{between}, written with a '.' decimal point";
        }

        if (type == typeof(TimeSpan))
        {
            return property?.GetCustomAttribute<TimeSpanRangeAttribute>() is { } span
                ? $"must be a duration hh:mm:ss {span.Bounds}"
                : "must be a duration hh:mm:ss, or d.hh:mm:ss for days (at most 10675199 days)";
        }

        return type.IsEnum ? "must be one of " + string.Join(", ", Enum.GetNames(type)) : $"must be a {type.Name} value";
    }
}

/// <summary>Marks a secret setting: validation messages show <c>***</c> instead of its value.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class SecretAttribute : Attribute;
