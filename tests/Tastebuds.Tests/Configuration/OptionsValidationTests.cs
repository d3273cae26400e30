using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Tastebuds.Worker.Cli;
using Tastebuds.Worker.Configuration;

namespace Tastebuds.Tests.Configuration;

public sealed class OptionsValidationTests
{
    [Test]
    public void The_repository_appsettings_json_passes_validation()
    {
        using var host = WorkerHost.CreateBuilder().Build();

        Assert.DoesNotThrow(() => WorkerHost.ValidateConfiguration(host.Services));
    }

    [TestCase("Algorithm:SimilarityThreshold", "-3", "Algorithm:SimilarityThreshold = -3: must be between 0 and 1")]
    [TestCase("Algorithm:SimilarityThreshold", "1.5", "Algorithm:SimilarityThreshold = 1.5: must be between 0 and 1")]
    [TestCase("Algorithm:MaxSimilarUsers", "0", "Algorithm:MaxSimilarUsers = 0: must be between 1 and 1000")]
    [TestCase("Algorithm:MinSharedItems", "-1", "Algorithm:MinSharedItems = -1: must be between 0 and 100000")]
    [TestCase("Algorithm:PrimaryMetric", "euclid", "Algorithm:PrimaryMetric = 'euclid': must be one of cosine, jaccard, pearson, all")]
    [TestCase("Algorithm:Recommender", "ease", "Algorithm:Recommender = 'ease': must be one of userknn, item-knn, rp3beta, als, hybrid")]
    [TestCase("Algorithm:RecommendationsPerUser", "0", "Algorithm:RecommendationsPerUser = 0: must be between 1 and 1000")]
    [TestCase("Algorithm:MaxTracksPerArtist", "0", "Algorithm:MaxTracksPerArtist = 0: must be between 1 and 1000")]
    [TestCase("Algorithm:PopularityWeight", "-0.5", "Algorithm:PopularityWeight = -0.5: must be between 0 and 10")]
    [TestCase("Schedules:FetchUsers", "every monday", "Schedules:FetchUsers = 'every monday': must be a Quartz cron expression")]
    [TestCase("Schedules:RecalculateSimilarities", "0 0 25 * * ?", "Schedules:RecalculateSimilarities = '0 0 25 * * ?': must be a Quartz cron")]
    [TestCase("Schedules:TimeZone", "Mars/Olympus", "Schedules:TimeZone = 'Mars/Olympus': must be a time zone id")]
    [TestCase("Database:MigrationLockTimeout", "00:00:00", "Database:MigrationLockTimeout = 00:00:00: must be between 00:00:01 and 01:00:00")]
    [TestCase("Database:Embedded:Port", "70000", "Database:Embedded:Port = 70000: must be between 0 and 65535")]
    public void A_bad_setting_is_rejected_with_a_line_naming_the_setting_the_value_and_the_rule(string key, string value, string expected)
    {
        using var host = WorkerHost.CreateBuilder(new Dictionary<string, string?> { [key] = value }).Build();

        var failures = Failures(() => WorkerHost.ValidateConfiguration(host.Services));

        Assert.That(failures, Has.Some.StartsWith(expected));
    }

    [TestCase("Lastfm:MaxRetries", "abc", "Lastfm:MaxRetries = 'abc': must be a whole number between 0 and 20")]
    [TestCase("Telemetry:Enabled", "maybe", "Telemetry:Enabled = 'maybe': must be true or false")]
    [TestCase("Algorithm:MaxSimilarUsers", "2147483648", "Algorithm:MaxSimilarUsers = '2147483648': must be a whole number between 1 and 1000")]
    [TestCase("Lastfm:RequestTimeout", "99999999.00:00:00",
        "Lastfm:RequestTimeout = '99999999.00:00:00': must be a duration hh:mm:ss greater than 00:00:00 and at most 00:05:00")]
    [TestCase("Database:Embedded:StartTimeout", "soon", "Database:Embedded:StartTimeout = 'soon': must be a duration hh:mm:ss between 00:00:05 and 00:10:00")]
    [TestCase("Algorithm:SimilarityThreshold", "0,5", "Algorithm:SimilarityThreshold = '0,5': must be a number between 0 and 1, written with a '.' decimal point")]
    [TestCase("Scheduler:Clustered", "yes", "Scheduler:Clustered = 'yes': must be true or false")]
    [TestCase("Shutdown:GracePeriod", "30s", "Shutdown:GracePeriod = '30s': must be a duration hh:mm:ss between 00:00:01 and 00:10:00")]
    public void A_value_of_the_wrong_type_is_a_configuration_error_showing_the_value_as_written_and_the_rule(string key, string value, string expected)
    {
        // Scheduler and Shutdown are read while the host is built: that must not throw either.
        using var host = WorkerHost.CreateBuilder(new Dictionary<string, string?> { [key] = value }).Build();

        var failures = Failures(() => WorkerHost.ValidateConfiguration(host.Services));

        Assert.That(failures, Is.EqualTo(new[] { expected }));
    }

    [TestCase("0 0 0 31 2 ?")]
    [TestCase("0 0 0 30 2 ?")]
    [TestCase("0 0 0 1 1 ? 2001")]
    public void A_cron_that_never_fires_is_rejected(string cron)
    {
        using var host = WorkerHost.CreateBuilder(new Dictionary<string, string?> { ["Schedules:FetchUsers"] = cron }).Build();

        var failures = Failures(() => WorkerHost.ValidateConfiguration(host.Services));

        Assert.That(failures, Is.EqualTo(new[] { $"Schedules:FetchUsers = '{cron}': never fires: no date from now on matches it" }));
    }

    [Test]
    public void A_value_of_the_wrong_type_is_reported_with_every_other_bad_setting_of_every_section()
    {
        using var host = WorkerHost.CreateBuilder(new Dictionary<string, string?>
        {
            ["Lastfm:MaxRetries"] = "abc",
            ["Telemetry:Enabled"] = "maybe",
            ["Algorithm:SimilarityThreshold"] = "-3",
            ["Schedules:RecalculateSimilarities"] = "0 0 0 31 2 ?",
        }).Build();

        var failures = Failures(() => WorkerHost.ValidateConfiguration(host.Services));

        Assert.That(failures, Is.EquivalentTo(new[]
        {
            "Lastfm:MaxRetries = 'abc': must be a whole number between 0 and 20",
            "Telemetry:Enabled = 'maybe': must be true or false",
            "Algorithm:SimilarityThreshold = -3: must be between 0 and 1",
            "Schedules:RecalculateSimilarities = '0 0 0 31 2 ?': never fires: no date from now on matches it",
        }));
    }

    [Test]
    public void A_secret_setting_of_the_wrong_type_is_shown_as_stars()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Vault:Pin"] = "s3cr3t" }).Build();
        var validator = new SectionValidator<SecretNumberOptions>("Vault", configuration.GetSection("Vault"));

        var result = validator.Validate(null, new SecretNumberOptions());

        Assert.That(result.Failures, Is.EqualTo(new[] { "Vault:Pin = ***: must be a whole number between -2147483648 and 2147483647" }));
    }

    [Test]
    public void A_duration_without_declared_bounds_that_does_not_fit_names_the_longest_duration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Test:Pause"] = "99999999.00:00:00" }).Build();
        var validator = new SectionValidator<UnboundedDurationOptions>("Test", configuration.GetSection("Test"));

        var result = validator.Validate(null, new UnboundedDurationOptions());

        Assert.That(result.Failures, Is.EqualTo(new[]
        {
            "Test:Pause = '99999999.00:00:00': must be a duration hh:mm:ss, or d.hh:mm:ss for days (at most 10675199 days)",
        }));
    }

    [Test]
    public void Attribute_rules_and_cross_field_rules_of_one_section_are_reported_together()
    {
        using var host = WorkerHost.CreateBuilder(new Dictionary<string, string?>
        {
            ["Algorithm:SimilarityThreshold"] = "-3",
            ["Algorithm:TrackWeight"] = "0", ["Algorithm:AlbumWeight"] = "0", ["Algorithm:ArtistWeight"] = "0",
        }).Build();

        var failures = Failures(() => WorkerHost.ValidateConfiguration(host.Services));

        Assert.That(failures, Is.EquivalentTo(new[]
        {
            "Algorithm:SimilarityThreshold = -3: must be between 0 and 1",
            "Algorithm: TrackWeight + AlbumWeight + ArtistWeight = 0: at least one kind weight must be above 0",
        }));
    }

    [Test]
    public void Every_bad_setting_is_reported_not_only_the_first()
    {
        using var host = WorkerHost.CreateBuilder(new Dictionary<string, string?>
        {
            ["Algorithm:SimilarityThreshold"] = "-3",
            ["Algorithm:MaxSimilarUsers"] = "0",
            ["Schedules:FetchUsers"] = "nope",
        }).Build();

        var failures = Failures(() => WorkerHost.ValidateConfiguration(host.Services));

        Assert.That(failures, Has.Count.EqualTo(3));
    }

    [TestCase("Host=127.0.0.1;Passwrd s3cr3t-value;Database=x")]
    [TestCase("Host=127.0.0.1;Bogus=s3cr3t-value")]
    public void A_malformed_connection_string_is_a_configuration_error_that_never_shows_the_string(string connectionString)
    {
        using var host = WorkerHost.CreateBuilder(new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = connectionString }).Build();

        var failures = Failures(() => WorkerHost.ValidateConfiguration(host.Services));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(failures, Has.One.StartsWith("ConnectionStrings:Postgres = ***: must be Npgsql Key=Value pairs"));
            Assert.That(failures, Has.None.Contains("s3cr3t"));
        }
    }

    [Test]
    public void Kind_weights_that_are_all_zero_are_rejected()
    {
        using var host = WorkerHost.CreateBuilder(new Dictionary<string, string?>
        {
            ["Algorithm:TrackWeight"] = "0", ["Algorithm:AlbumWeight"] = "0", ["Algorithm:ArtistWeight"] = "0",
        }).Build();

        var failures = Failures(() => WorkerHost.ValidateConfiguration(host.Services));

        Assert.That(failures, Has.Some.Contains("at least one kind weight must be above 0"));
    }

    private sealed class UnboundedDurationOptions
    {
        public TimeSpan Pause { get; set; }
    }

    private sealed class SecretNumberOptions
    {
        [Secret]
        public int Pin { get; set; }
    }

    private static List<string> Failures(Action validate)
    {
        try
        {
            validate();
        }
        catch (OptionsValidationException e)
        {
            return [.. e.Failures];
        }
        catch (AggregateException e)
        {
            return [.. e.InnerExceptions.OfType<OptionsValidationException>().SelectMany(i => i.Failures)];
        }

        Assert.Fail("validation passed");
        return [];
    }
}
