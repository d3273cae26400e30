using Microsoft.Extensions.Options;
using Tastebuds.Worker.Configuration;

namespace Tastebuds.Worker.Lastfm;

/// <summary>Collects every failure as "Section:Setting = value: rule" (the house format), so one start-up shows them all.</summary>
internal sealed class OptionsFailures(string section)
{
    private readonly List<string> _failures = [];

    public void Check(bool ok, string setting, object? value, string rule)
    {
        if (!ok)
        {
            _failures.Add($"{section}:{setting} = {SettingValue.Show(value)}: {rule}");
        }
    }

    public void Positive(TimeSpan value, string setting, TimeSpan max) =>
        Check(value > TimeSpan.Zero && value <= max, setting, value, FormattableString.Invariant($"must be greater than 00:00:00 and at most {max}"));

    public void NotNegative(TimeSpan value, string setting, TimeSpan max) =>
        Check(value >= TimeSpan.Zero && value <= max, setting, value, FormattableString.Invariant($"must be between 00:00:00 and {max}"));

    public ValidateOptionsResult Result() =>
        _failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(_failures);
}
