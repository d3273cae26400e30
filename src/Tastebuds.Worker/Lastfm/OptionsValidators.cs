using Microsoft.Extensions.Options;

namespace Tastebuds.Worker.Lastfm;

// DataAnnotations, checked by source-generated code (no reflection at start-up).
[OptionsValidator]
internal sealed partial class LastfmOptionsAnnotationsValidator : IValidateOptions<LastfmOptions>;

[OptionsValidator]
internal sealed partial class FetchLimitsOptionsAnnotationsValidator : IValidateOptions<FetchLimitsOptions>;

[OptionsValidator]
internal sealed partial class RateLimitingOptionsAnnotationsValidator : IValidateOptions<RateLimitingOptions>;

/// <summary>Collects every failure as "Section:Setting = 'value' rule", so one start-up shows them all.</summary>
internal sealed class OptionsFailures(string section)
{
    private readonly List<string> _failures = [];

    public void Check(bool ok, string setting, object? value, string rule)
    {
        if (!ok)
        {
            _failures.Add(FormattableString.Invariant($"{section}:{setting} = '{value}' {rule}"));
        }
    }

    public void Positive(TimeSpan value, string setting, TimeSpan max) =>
        Check(value > TimeSpan.Zero && value <= max, setting, value, FormattableString.Invariant($"must be greater than 00:00:00 and at most {max}"));

    public void NotNegative(TimeSpan value, string setting, TimeSpan max) =>
        Check(value >= TimeSpan.Zero && value <= max, setting, value, FormattableString.Invariant($"must be between 00:00:00 and {max}"));

    public ValidateOptionsResult Result() =>
        _failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(_failures);
}
