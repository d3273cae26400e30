using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Tastebuds.Worker.Configuration;

/// <summary>
/// Binds a settings section so that a value of the wrong type cannot throw: the configuration binder stops at the first
/// value it cannot convert (<c>Lastfm:MaxRetries=abc</c>) with an <see cref="InvalidOperationException"/>, before any
/// validator runs. Here the binder itself is asked, one value at a time, which values it cannot convert; those keep
/// their defaults and <see cref="SectionValidator{TOptions}"/> reports them with every other bad setting.
/// </summary>
internal static class SectionBinding
{
    /// <summary>A section read outside the options system (settings a registration needs at once), bad values left at their defaults.</summary>
    public static TOptions Read<TOptions>(IConfiguration configuration, string sectionName)
        where TOptions : class, new()
    {
        var options = new TOptions();
        Bind(configuration.GetSection(sectionName), options);
        return options;
    }

    /// <summary>Binds every value of <paramref name="section"/> the binder can convert.</summary>
    public static void Bind(IConfiguration section, object options)
    {
        var unconvertible = Failures(options.GetType(), section).Select(f => f.RawKey).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var convertible = section.AsEnumerable(makePathsRelative: true).Where(p => p.Value is not null && !unconvertible.Contains(p.Key));
        new ConfigurationBuilder().AddInMemoryCollection(convertible).Build().Bind(options);
    }

    /// <summary>The values of <paramref name="section"/> the binder cannot convert to their property's type.</summary>
    public static IReadOnlyList<ConversionFailure> Failures(Type optionsType, IConfiguration section)
    {
        var failures = new List<ConversionFailure>();
        foreach (var (key, value) in section.AsEnumerable(makePathsRelative: true))
        {
            if (value is null)
            {
                continue;
            }

            try
            {
                // The binder's own conversion, so what is reported is exactly what would have thrown.
                new ConfigurationBuilder().AddInMemoryCollection([new(key, value)]).Build().Bind(Activator.CreateInstance(optionsType)!);
            }
            catch (InvalidOperationException)
            {
                failures.Add(Describe(optionsType, key, value));
            }
        }

        return failures;
    }

    /// <summary>Follows the key's path through the options type: its canonical spelling, the property and the type the value was for.</summary>
    private static ConversionFailure Describe(Type optionsType, string key, string value)
    {
        var type = optionsType;
        PropertyInfo? property = null;
        var path = new List<string>();
        foreach (var segment in key.Split(ConfigurationPath.KeyDelimiter))
        {
            if (ElementType(type) is { } element && int.TryParse(segment, System.Globalization.CultureInfo.InvariantCulture, out _))
            {
                type = element;
                path.Add(segment);
                continue;
            }

            property = type.GetProperty(segment, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
            {
                return new ConversionFailure(key, key, value, Secret: false, "is invalid");
            }

            type = property.PropertyType;
            path.Add(property.Name);
        }

        var secret = property?.IsDefined(typeof(SecretAttribute), inherit: true) == true;
        return new ConversionFailure(key, string.Join(ConfigurationPath.KeyDelimiter, path), value, secret,
            Rule.Conversion(Nullable.GetUnderlyingType(type) ?? type, property));
    }

    private static Type? ElementType(Type type) =>
        type == typeof(string) ? null
        : type.IsArray ? type.GetElementType()
        : type.IsGenericType && type.GetGenericArguments() is [var element] && typeof(IEnumerable<>).MakeGenericType(element).IsAssignableFrom(type) ? element
        : null;
}

/// <summary>A value the binder cannot convert: <see cref="Key"/> is the setting's canonical path within its section, <see cref="Raw"/> what the operator wrote.</summary>
internal sealed record ConversionFailure(string RawKey, string Key, string Raw, bool Secret, string Rule);
