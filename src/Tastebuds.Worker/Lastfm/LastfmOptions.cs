using System.ComponentModel.DataAnnotations;
using Tastebuds.Worker.Configuration;

namespace Tastebuds.Worker.Lastfm;

/// <summary>Settings of the Last.fm API client (section <c>Lastfm</c>).</summary>
public sealed class LastfmOptions : IValidatableObject
{
    public const string SectionName = "Lastfm";

    /// <summary>The chart periods Last.fm accepts; the client checks a period against the same list.</summary>
    public static IReadOnlyList<string> Periods { get; } = OneOfAttribute.ValuesOf(typeof(LastfmOptions), nameof(Period));

    /// <summary>The API key (a secret). Empty means the host decides (sandbox mode); it is then not sent.</summary>
    [Secret]
    [RegularExpression(@"^\S*$", ErrorMessage = "must not contain white space")]
    public string ApiKey { get; set; } = "";

    [Required(ErrorMessage = Rule.Required)]
    [HttpUrl]
    public string BaseUrl { get; set; } = "https://ws.audioscrobbler.com/2.0/";

    /// <summary>The Last.fm users whose profiles are fetched.</summary>
    public string[] Users { get; set; } = [];

    /// <summary>Period of the top-* charts: overall, 7day, 1month, 3month, 6month or 12month.</summary>
    [Required(ErrorMessage = Rule.Required)]
    [OneOf("overall", "7day", "1month", "3month", "6month", "12month")]
    public string Period { get; set; } = "overall";

    /// <summary>Timeout of one attempt (one HTTP request, body included).</summary>
    [TimeSpanRange("00:00:00", "00:05:00", MinimumIsExclusive = true)]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries after the first attempt of a transient failure (0 disables retries).</summary>
    [Range(0, 20, ErrorMessage = Rule.Range)]
    public int MaxRetries { get; set; } = 5;

    /// <summary>First retry delay; later delays grow exponentially (with jitter) up to <see cref="RetryMaxDelay"/>.</summary>
    [TimeSpanRange("00:00:00", "00:10:00", MinimumIsExclusive = true)]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    [TimeSpanRange("00:00:00", "01:00:00", MinimumIsExclusive = true)]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Also fetch the friends of configured users (the fetch job decides what to do with them).</summary>
    public bool DiscoverFriends { get; set; }

    [Required(ErrorMessage = "must identify the application (Last.fm asks for an identifiable User-Agent)")]
    public string UserAgent { get; set; } = "Tastebuds/1.0 (+https://github.com/tastebuds)";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < Users.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(Users[i]))
            {
                yield return new SettingError($"{nameof(Users)}:{i}", Users[i], "must not be empty");
            }
        }

        foreach (var duplicate in Users.Where(u => !string.IsNullOrWhiteSpace(u))
                     .GroupBy(u => u.Trim(), StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            yield return new SettingError(nameof(Users), duplicate.Key, "must be listed once (user names are case-insensitive)");
        }

        if (RetryBaseDelay > RetryMaxDelay)
        {
            yield return new ValidationResult(
                FormattableString.Invariant($"must not exceed {nameof(RetryMaxDelay)} ({RetryMaxDelay})"), [nameof(RetryBaseDelay)]);
        }
    }
}
