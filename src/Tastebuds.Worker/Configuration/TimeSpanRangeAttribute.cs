using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Tastebuds.Worker.Configuration;

/// <summary>A <see cref="TimeSpan"/> setting within bounds, written as the rule the operator reads.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class TimeSpanRangeAttribute(string minimum, string maximum) : ValidationAttribute
{
    public TimeSpan Minimum { get; } = TimeSpan.Parse(minimum, CultureInfo.InvariantCulture);

    public TimeSpan Maximum { get; } = TimeSpan.Parse(maximum, CultureInfo.InvariantCulture);

    /// <summary>The minimum itself is refused: a timeout or a delay of 00:00:00 would mean "never wait".</summary>
    public bool MinimumIsExclusive { get; set; }

    /// <summary>The bounds as the rule says them: <c>between 00:00:01 and 01:00:00</c>.</summary>
    public string Bounds => MinimumIsExclusive
        ? $"greater than {Minimum:c} and at most {Maximum:c}"
        : $"between {Minimum:c} and {Maximum:c}";

    public override bool IsValid(object? value) =>
        value is TimeSpan t && (MinimumIsExclusive ? t > Minimum : t >= Minimum) && t <= Maximum;

    public override string FormatErrorMessage(string name) => "must be " + Bounds;
}
