using System.ComponentModel.DataAnnotations;

namespace Tastebuds.Worker.Configuration;

/// <summary>
/// A failed rule whose line shows <see cref="Value"/> rather than the property's own value: an element of a list
/// (<c>Lastfm:Users:2</c>), the one duplicate in it, or a value with its secret part masked. Secret settings still show <c>***</c>.
/// </summary>
internal sealed class SettingError(string setting, object? value, string rule) : ValidationResult(rule, [setting])
{
    public object? Value { get; } = value;
}
