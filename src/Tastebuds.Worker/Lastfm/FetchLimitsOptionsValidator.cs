using Microsoft.Extensions.Options;

namespace Tastebuds.Worker.Lastfm;

internal sealed class FetchLimitsOptionsValidator : IValidateOptions<FetchLimitsOptions>
{
    public ValidateOptionsResult Validate(string? name, FetchLimitsOptions options)
    {
        var f = new OptionsFailures(FetchLimitsOptions.SectionName);
        f.Check(options.TagsPerUser == 0 || options.TaggedItemsPerTag > 0, nameof(options.TaggedItemsPerTag),
            options.TaggedItemsPerTag,
            FormattableString.Invariant($"must be greater than 0 when {nameof(options.TagsPerUser)} is {options.TagsPerUser} (set TagsPerUser to 0 to skip tags)"));
        return f.Result();
    }
}

internal sealed class RateLimitingOptionsValidator : IValidateOptions<RateLimitingOptions>
{
    public ValidateOptionsResult Validate(string? name, RateLimitingOptions options)
    {
        var f = new OptionsFailures(RateLimitingOptions.SectionName);
        f.NotNegative(options.DelayBetweenUsers, nameof(options.DelayBetweenUsers), TimeSpan.FromHours(1));
        f.Positive(options.Window, nameof(options.Window), TimeSpan.FromHours(1));
        return f.Result();
    }
}
