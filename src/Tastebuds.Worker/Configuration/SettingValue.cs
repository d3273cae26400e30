using System.Globalization;

namespace Tastebuds.Worker.Configuration;

/// <summary>A setting's value as a validation message shows it: strings quoted, numbers and durations invariant.</summary>
internal static class SettingValue
{
    public static string Show(object? value) => value switch
    {
        null => "(empty)",
        string s => $"'{s}'",
        System.Collections.IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Show)) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "(empty)",
    };
}
