using Microsoft.Extensions.Options;
using Tastebuds.Worker.Cli;

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
            Assert.That(failures, Has.One.StartsWith("ConnectionStrings:Postgres = (not shown"));
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
