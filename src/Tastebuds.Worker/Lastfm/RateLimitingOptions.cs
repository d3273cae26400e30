using System.ComponentModel.DataAnnotations;
using Tastebuds.Worker.Configuration;

namespace Tastebuds.Worker.Lastfm;

/// <summary>Request budget (section <c>RateLimiting</c>).</summary>
public sealed class RateLimitingOptions
{
    public const string SectionName = "RateLimiting";

    /// <summary>Pause between two users, applied by the fetch job (not by the client).</summary>
    public TimeSpan DelayBetweenUsers { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Requests (attempts, retries included) the whole process may send in any minute.</summary>
    [Range(1, 100_000, ErrorMessage = Rule.Range)]
    public int MaxRequestsPerMinute { get; set; } = 30;

    /// <summary>
    /// The window <see cref="MaxRequestsPerMinute"/> applies to. Not bound from configuration
    /// (internal): tests shrink it so that a limiter test takes a second, not minutes.
    /// </summary>
    internal TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
