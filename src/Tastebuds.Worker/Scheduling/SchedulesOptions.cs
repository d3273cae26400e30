using System.ComponentModel.DataAnnotations;
using Quartz;
using Tastebuds.Worker.Configuration;

namespace Tastebuds.Worker.Scheduling;

/// <summary>Settings of the <c>Schedules</c> section: one Quartz cron expression per job (seconds first).</summary>
public sealed class SchedulesOptions : IValidatableObject
{
    public const string SectionName = "Schedules";

    /// <summary>Weekly, Monday 03:00.</summary>
    public string FetchUsers { get; set; } = "0 0 3 ? * MON";

    /// <summary>Daily 04:00; also chained after every fetch run.</summary>
    public string RecalculateSimilarities { get; set; } = "0 0 4 * * ?";

    /// <summary>Daily 04:30; also chained after every similarity run.</summary>
    public string GenerateRecommendations { get; set; } = "0 30 4 * * ?";

    /// <summary>Every minute: fetch never-fetched users and serve them incrementally (see FetchNewUsersJob).</summary>
    public string NewUsers { get; set; } = "0 * * * * ?";

    /// <summary>Time zone the cron expressions are read in (IANA id).</summary>
    [TimeZoneId]
    public string TimeZone { get; set; } = "UTC";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Cron expressions are read in TimeZone; an unknown zone is reported by its attribute, and UTC stands in here.
        TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out var zone);
        var now = (validationContext.GetService(typeof(TimeProvider)) as TimeProvider ?? TimeProvider.System).GetUtcNow();
        foreach (var (name, expression) in Jobs())
        {
            if (string.IsNullOrWhiteSpace(expression) || !CronExpression.TryParse(expression, out _))
            {
                yield return new ValidationResult(
                    "must be a Quartz cron expression with seconds first, e.g. '0 0 3 ? * MON'", [name]);
            }
            else if (new CronExpression(expression, zone ?? TimeZoneInfo.Utc).GetNextValidTimeAfter(now) is null)
            {
                // Valid syntax, no date (e.g. the 31st of February, or a past year): Quartz refuses the trigger at start.
                yield return new ValidationResult("never fires: no date from now on matches it", [name]);
            }
        }
    }

    public IEnumerable<(string Job, string Cron)> Jobs() =>
    [
        (nameof(FetchUsers), FetchUsers),
        (nameof(RecalculateSimilarities), RecalculateSimilarities),
        (nameof(GenerateRecommendations), GenerateRecommendations),
        (nameof(NewUsers), NewUsers),
    ];
}
