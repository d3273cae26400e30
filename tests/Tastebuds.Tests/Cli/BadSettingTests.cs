using Tastebuds.Tests.Support;

namespace Tastebuds.Tests.Cli;

/// <summary>A bad setting, run as the real binary: exit 2 and one line per bad setting on stderr, before any connection.</summary>
public sealed class BadSettingTests
{
    /// <summary>Never reached: the configuration is validated before anything connects.</summary>
    private const string Unreachable = "Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none;Timeout=2";

    [TestCase("Lastfm__MaxRetries", "abc", "Configuration error: Lastfm:MaxRetries = 'abc': must be a whole number between 0 and 20")]
    [TestCase("Telemetry__Enabled", "maybe", "Configuration error: Telemetry:Enabled = 'maybe': must be true or false")]
    [TestCase("Algorithm__MaxSimilarUsers", "2147483648",
        "Configuration error: Algorithm:MaxSimilarUsers = '2147483648': must be a whole number between 1 and 1000")]
    [TestCase("Lastfm__RequestTimeout", "99999999.00:00:00",
        "Configuration error: Lastfm:RequestTimeout = '99999999.00:00:00': must be a duration hh:mm:ss greater than 00:00:00 and at most 00:05:00")]
    [TestCase("Schedules__FetchUsers", "0 0 0 31 2 ?", "Configuration error: Schedules:FetchUsers = '0 0 0 31 2 ?': never fires: no date from now on matches it")]
    [TestCase("Logging__LogLevel__Default", "verbose",
        "Configuration error: Logging:LogLevel:Default = 'verbose': must be one of Trace, Debug, Information, Warning, Error, Critical, None")]
    [TestCase("Logging__Console__LogLevel__Tastebuds", "loud",
        "Configuration error: Logging:Console:LogLevel:Tastebuds = 'loud': must be one of Trace, Debug, Information, Warning, Error, Critical, None")]
    public async Task Migrate_with_a_setting_the_worker_cannot_use_exits_2_with_the_line_naming_the_setting_the_value_and_the_rule(
        string variable, string value, string line)
    {
        var result = await WorkerProcess.RunAsync(["migrate"], new Dictionary<string, string?>
        {
            [variable] = value,
            ["ConnectionStrings__Postgres"] = Unreachable,
        });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.Stderr);
            Assert.That(Lines(result.Stderr), Is.EqualTo(new[] { line }));
        }
    }

    [Test]
    public async Task The_daemon_with_a_cron_that_never_fires_exits_2_before_it_starts()
    {
        var result = await WorkerProcess.RunAsync([], new Dictionary<string, string?>
        {
            ["Schedules__GenerateRecommendations"] = "0 0 0 31 2 ?",
            ["ConnectionStrings__Postgres"] = Unreachable,
        });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.Stderr);
            Assert.That(Lines(result.Stderr),
                Is.EqualTo(new[] { "Configuration error: Schedules:GenerateRecommendations = '0 0 0 31 2 ?': never fires: no date from now on matches it" }));
        }
    }

    private static string[] Lines(string text) => text.Replace("\r", "", StringComparison.Ordinal).Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
