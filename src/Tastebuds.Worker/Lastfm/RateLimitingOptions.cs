using System.ComponentModel.DataAnnotations;
using Tastebuds.Worker.Configuration;

namespace Tastebuds.Worker.Lastfm;

/// <summary>Request budget (section <c>RateLimiting</c>).</summary>
public sealed class RateLimitingOptions : IValidatableObject
{
    public const string SectionName = "RateLimiting";

    private static readonly TimeSpanRangeAttribute WindowRange = new("00:00:00", "01:00:00") { MinimumIsExclusive = true };

    /// <summary>Pause between two users, applied by the fetch job (not by the client).</summary>
    [TimeSpanRange("00:00:00", "01:00:00")]
    public TimeSpan DelayBetweenUsers { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Requests (attempts, retries included) the whole process may send in any minute.</summary>
    [Range(1, 100_000, ErrorMessage = Rule.Range)]
    public int MaxRequestsPerMinute { get; set; } = 30;

    /// <summary>
    /// The window <see cref="MaxRequestsPerMinute"/> applies to. Not bound from configuration
    /// (internal): tests shrink it so that a limiter test takes a second, not minutes.
    /// </summary>
    internal TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Window is internal, and DataAnnotations read public properties only; the rule is the attribute's all the same.
        if (!WindowRange.IsValid(Window))
        {
            yield return new SettingError(nameof(Window), Window, WindowRange.FormatErrorMessage(nameof(Window)));
        }
    }
}
