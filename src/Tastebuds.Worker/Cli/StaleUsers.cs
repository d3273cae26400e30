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
        return age > staleAfter
            ? string.Create(CultureInfo.InvariantCulture, $"not fetched for {age.TotalDays:0.#} days")
            : null;
    }

    /// <summary><c>14d</c>, <c>36h</c>, <c>90m</c>, or a TimeSpan (<c>14.00:00:00</c>, as durations in the settings).</summary>
    public static bool TryParseAge(string text, out TimeSpan age)
    {
        var t = text.Trim();
        if (t.Length > 1 && double.TryParse(t[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0)
        {
            TimeSpan? parsed = char.ToLowerInvariant(t[^1]) switch
            {
                'd' => TimeSpan.FromDays(n),
                'h' => TimeSpan.FromHours(n),
                'm' => TimeSpan.FromMinutes(n),
                _ => null,
            };
            if (parsed is { } value)
            {
                age = value;
                return true;
            }
        }

        return TimeSpan.TryParse(t, CultureInfo.InvariantCulture, out age) && age >= TimeSpan.Zero;
    }
}
