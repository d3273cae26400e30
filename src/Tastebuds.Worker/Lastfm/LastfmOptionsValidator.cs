using Microsoft.Extensions.Options;

namespace Tastebuds.Worker.Lastfm;

/// <summary>Rules that DataAnnotations cannot say: allowed values, URLs, durations and their order.</summary>
internal sealed class LastfmOptionsValidator : IValidateOptions<LastfmOptions>
{
    public static readonly string[] Periods = ["overall", "7day", "1month", "3month", "6month", "12month"];

    public ValidateOptionsResult Validate(string? name, LastfmOptions options)
    {
        var f = new OptionsFailures(LastfmOptions.SectionName);
        f.Check(Periods.Contains(options.Period, StringComparer.Ordinal), nameof(options.Period), options.Period,
            "must be one of " + string.Join(", ", Periods));
        f.Check(Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var baseUrl)
                && (baseUrl.Scheme == Uri.UriSchemeHttp || baseUrl.Scheme == Uri.UriSchemeHttps)
                && string.IsNullOrEmpty(baseUrl.Query),
            nameof(options.BaseUrl), LastfmRedaction.Redact(options.BaseUrl), "must be an absolute http or https URL without a query");
        // Never echo the key itself, even a malformed one.
        f.Check(!options.ApiKey.Any(char.IsWhiteSpace), nameof(options.ApiKey), "***", "must not contain white space");
        for (var i = 0; i < options.Users.Length; i++)
        {
            f.Check(!string.IsNullOrWhiteSpace(options.Users[i]), $"Users:{i}", options.Users[i], "must not be empty");
        }

        foreach (var duplicate in options.Users.Where(u => !string.IsNullOrWhiteSpace(u))
                     .GroupBy(u => u.Trim(), StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            f.Check(false, nameof(options.Users), duplicate.Key, "must be listed once (user names are case-insensitive)");
        }

        f.Positive(options.RequestTimeout, nameof(options.RequestTimeout), TimeSpan.FromMinutes(5));
        f.Positive(options.RetryBaseDelay, nameof(options.RetryBaseDelay), TimeSpan.FromMinutes(10));
        f.Positive(options.RetryMaxDelay, nameof(options.RetryMaxDelay), TimeSpan.FromHours(1));
        f.Check(options.RetryBaseDelay <= options.RetryMaxDelay, nameof(options.RetryBaseDelay), options.RetryBaseDelay,
            FormattableString.Invariant($"must not exceed {nameof(options.RetryMaxDelay)} ({options.RetryMaxDelay})"));
        f.Check(!string.IsNullOrWhiteSpace(options.UserAgent), nameof(options.UserAgent), options.UserAgent,
            "must identify the application (Last.fm asks for an identifiable User-Agent)");
        return f.Result();
    }
}
