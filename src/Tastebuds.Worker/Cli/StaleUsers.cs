using System.Globalization;

namespace Tastebuds.Worker.Cli;

/// <summary>Why a user needs an operator's look, or null when the user is fine. Pure, so the rules are easy to read and test.</summary>
internal static class StaleUsers
{
    public static string? Reason(UserFetchState user, DateTimeOffset now, TimeSpan staleAfter)
    {
        switch (user.LastStatus)
        {
            case "failed":
                return "last fetch failed";
            case "skipped" when user.ErrorCode is { } code:
                return code switch
                {
                    6 => "skipped: user not found (6)",
                    17 => "skipped: private profile (17)",
                    _ => string.Create(CultureInfo.InvariantCulture, $"skipped: Last.fm error {code}"),
                };
        }

        if (user.LastFetchedAt is not { } fetched)
        {
            return "never fetched";
        }

        var age = now - new DateTimeOffset(DateTime.SpecifyKind(fetched, DateTimeKind.Utc));
        return age > staleAfter ? "not fetched for " + Age(age) : null;
    }

    /// <summary>An age in the largest unit that fits: 14 days, 5.5 hours, 12 minutes, 3 seconds.</summary>
    public static string Age(TimeSpan age) => age.TotalDays >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{age.TotalDays:0.#} days")
        : age.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{age.TotalHours:0.#} hours")
            : age.TotalMinutes >= 1
                ? string.Create(CultureInfo.InvariantCulture, $"{age.TotalMinutes:0} minutes")
                : string.Create(CultureInfo.InvariantCulture, $"{age.TotalSeconds:0} seconds");

    /// <summary>The longest <c>--stale-after</c>: ten years is "never fetched" in all but name.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(3650);

    /// <summary>
    /// <c>14d</c>, <c>36h</c>, <c>90m</c>, <c>30s</c>, or a TimeSpan (<c>14.00:00:00</c>, as durations in the settings),
    /// from 0 to <see cref="MaxAge"/>.
    /// </summary>
    public static bool TryParseAge(string text, out TimeSpan age)
    {
        var t = text.Trim();
        if (t.Length > 1 && double.TryParse(t[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
        {
            var unit = char.ToLowerInvariant(t[^1]) switch
            {
                'd' => TimeSpan.FromDays(1),
                'h' => TimeSpan.FromHours(1),
                'm' => TimeSpan.FromMinutes(1),
                's' => TimeSpan.FromSeconds(1),
                _ => TimeSpan.Zero,
            };
            // Compared before the multiplication: 1e300d or Infinityd would overflow TimeSpan (an exception out of the parse).
            if (unit > TimeSpan.Zero && n >= 0 && n <= MaxAge / unit)
            {
                age = unit * n;
                return true;
            }
        }

        return TimeSpan.TryParse(t, CultureInfo.InvariantCulture, out age) && age >= TimeSpan.Zero && age <= MaxAge;
    }
}
