using Tastebuds.Tests.Support;

namespace Tastebuds.Tests.Cli;

public sealed class MigrateVerbTests
{
    [Test]
    public async Task Migrate_applies_the_scripts_prints_them_and_a_second_run_has_nothing_to_do()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync(migrate: false);
        var environment = new Dictionary<string, string?> { ["ConnectionStrings__Postgres"] = db.ConnectionString };

        var first = await WorkerProcess.RunAsync(["migrate"], environment);
        var second = await WorkerProcess.RunAsync(["migrate"], environment);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.ExitCode, Is.Zero, first.Stderr);
            Assert.That(first.Stdout, Does.Contain("0001_catalog_users_interactions.sql").And.Contain("Schema version:"));
            Assert.That(second.ExitCode, Is.Zero, second.Stderr);
            Assert.That(second.Stdout, Does.Contain("the schema is up to date"));
            Assert.That(first.Stdout + first.Stderr, Does.Not.Contain(new Npgsql.NpgsqlConnectionStringBuilder(db.ConnectionString).Password!),
                "the database password is never printed");
        }
    }

    [Test]
    public async Task Migrate_with_a_bad_setting_exits_with_the_configuration_error_code_and_names_the_setting()
    {
        var result = await WorkerProcess.RunAsync(["migrate"], new Dictionary<string, string?>
        {
            ["Algorithm__SimilarityThreshold"] = "-3",
            // Never reached: validation comes before any connection.
            ["ConnectionStrings__Postgres"] = "Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none",
        });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(2));
            Assert.That(result.Stderr, Does.Contain("Algorithm:SimilarityThreshold = -3: must be between 0 and 1"));
        }
    }

    [Test]
    public async Task Migrate_against_an_unreachable_database_exits_with_the_database_error_code()
    {
        var result = await WorkerProcess.RunAsync(["migrate"], new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = "Host=127.0.0.1;Port=1;Database=none;Username=none;Password=s3cret-never-shown;Timeout=3",
        });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(3), result.Stderr);
            Assert.That(result.Stderr, Does.Contain("Database unreachable"));
            Assert.That(result.Stdout + result.Stderr, Does.Not.Contain("s3cret-never-shown"));
        }
    }

    [Test]
    public async Task Help_lists_the_verbs()
    {
        var result = await WorkerProcess.RunAsync(["--help"]);

        Assert.That(result.Stdout, Does.Contain("migrate").And.Contain("demo"));
    }
}
