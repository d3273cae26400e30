using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Tastebuds.Worker.Database;

namespace Tastebuds.Tests.Database;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class EmbeddedPostgresTests
{
    private string _state = null!;

    [SetUp]
    public void NewStateFolder() =>
        _state = Path.Combine(Path.GetTempPath(), $"tastebuds-embedded-{Guid.NewGuid():N}");

    [TearDown]
    public void RemoveStateFolder()
    {
        if (Directory.Exists(_state))
        {
            Directory.Delete(_state, recursive: true);
        }
    }

    [Test]
    public async Task The_helper_creates_a_cluster_and_a_second_start_reuses_it()
    {
        var options = new EmbeddedPostgresOptions { DataDirectory = _state };
        await using var first = await EmbeddedPostgres.StartAsync(options, NullLogger.Instance, CancellationToken.None);
        await using var second = await EmbeddedPostgres.StartAsync(options, NullLogger.Instance, CancellationToken.None);

        await using var connection = new NpgsqlConnection(second.ConnectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT current_database() || ' ' || inet_server_addr()", connection);
        var answer = (string)(await query.ExecuteScalarAsync())!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.StartedHere, Is.True);
            Assert.That(second.StartedHere, Is.False, "the running server was reused");
            Assert.That(second.Port, Is.EqualTo(first.Port));
            Assert.That(answer, Is.EqualTo("tastebuds 127.0.0.1/32"), "loopback only");
            Assert.That(File.Exists(Path.Combine(_state, "data", "PG_VERSION")), Is.True);
            Assert.That(File.GetUnixFileMode(Path.Combine(_state, "password")),
                Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite), "the password file is private");
            Assert.That(first.Describe(), Does.Not.Contain(File.ReadAllText(Path.Combine(_state, "password")).Trim()));
        }

        await first.StopAsync();
    }

    [Test]
    public async Task A_stopped_cluster_starts_again_with_its_data()
    {
        var options = new EmbeddedPostgresOptions { DataDirectory = _state };
        await using (var first = await EmbeddedPostgres.StartAsync(options, NullLogger.Instance, CancellationToken.None))
        {
            await using var connection = new NpgsqlConnection(first.ConnectionString);
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)", connection);
            await create.ExecuteNonQueryAsync();
        }

        await using var again = await EmbeddedPostgres.StartAsync(options, NullLogger.Instance, CancellationToken.None);
        await using var reconnect = new NpgsqlConnection(again.ConnectionString);
        await reconnect.OpenAsync();
        await using var read = new NpgsqlCommand("SELECT v FROM kept", reconnect);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(again.StartedHere, Is.True, "the first one stopped on dispose");
            Assert.That(await read.ExecuteScalarAsync(), Is.EqualTo(42));
        }
    }

    [Test]
    public void Missing_binaries_give_a_message_saying_how_to_install_them_or_where_to_point_the_worker()
    {
        var options = new EmbeddedPostgresOptions { DataDirectory = _state, BinDirectory = "/nonexistent/postgresql/bin" };

        var error = Assert.ThrowsAsync<EmbeddedPostgresException>(
            () => EmbeddedPostgres.StartAsync(options, NullLogger.Instance, CancellationToken.None));

        Assert.That(error!.Message, Does.Contain("/nonexistent/postgresql/bin")
            .And.Contain("apt-get install postgresql")
            .And.Contain("ConnectionStrings__Postgres"));
    }
}
