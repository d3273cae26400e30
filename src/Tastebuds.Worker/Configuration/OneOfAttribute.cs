using System.ComponentModel.DataAnnotations;
using System.Reflection;

namespace Tastebuds.Worker.Configuration;

/// <summary>A string setting that takes one of a fixed list of values (an empty value is left to <c>[Required]</c>).</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class OneOfAttribute(params string[] values) : ValidationAttribute
{
    public IReadOnlyList<string> Values { get; } = values;

    public bool IgnoreCase { get; set; }

    /// <summary>The values allowed for <paramref name="property"/>: code that checks them too reads the same list.</summary>
    public static IReadOnlyList<string> ValuesOf(Type options, string property) =>
        options.GetProperty(property)?.GetCustomAttribute<OneOfAttribute>()?.Values
        ?? throw new InvalidOperationException($"{options.Name}.{property} has no [OneOf].");

    public override bool IsValid(object? value) =>
        value is not string s || string.IsNullOrEmpty(s)
        || Values.Contains(s, IgnoreCase ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);

    public override string FormatErrorMessage(string name) => "must be one of " + string.Join(", ", Values);
}
