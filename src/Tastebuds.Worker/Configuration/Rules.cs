using System.ComponentModel.DataAnnotations;

namespace Tastebuds.Worker.Configuration;

/// <summary>A <see cref="TimeSpan"/> setting within bounds, written as the rule the operator reads.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class TimeSpanRangeAttribute(string minimum, string maximum) : ValidationAttribute
{
    private readonly TimeSpan _minimum = TimeSpan.Parse(minimum, System.Globalization.CultureInfo.InvariantCulture);
    private readonly TimeSpan _maximum = TimeSpan.Parse(maximum, System.Globalization.CultureInfo.InvariantCulture);

    public override bool IsValid(object? value) => value is TimeSpan t && t >= _minimum && t <= _maximum;

    public override string FormatErrorMessage(string name) => $"must be between {_minimum:c} and {_maximum:c}";
}

/// <summary>Messages in the house format ("must be ...") for the stock attributes.</summary>
internal static class Rule
{
    public const string Range = "must be between {1} and {2}";
    public const string Required = "is required";
    public const string Url = "must be an absolute http or https URL";
}

/// <summary>Marks a secret setting: validation messages show <c>***</c> instead of its value.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class SecretAttribute : Attribute;
