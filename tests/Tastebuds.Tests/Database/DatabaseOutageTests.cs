using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Tastebuds.Tests.Support;
using Tastebuds.Worker.Database;

namespace Tastebuds.Tests.Database;

/// <summary>The outage rule on real connections: what counts as transient, waiting it out, and giving up past the tolerance.</summary>
public sealed class DatabaseOutageTests
{
    [Test]
    public async Task A_refused_connection_is_retried_until_it_is_accepted()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        var outage = Outage(TimeSpan.FromSeconds(30));
        var attempts = 0;

        var answer = await outage.ExecuteAsync("testing", async ct =>
        {
            // The first attempt meets a closed port (connection refused), the second the real server.
            var target = ++attempts == 1 ? ClosedPortConnectionString(db) : db.ConnectionString;
            await using var connection = new NpgsqlConnection(target);
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand("SELECT 42", connection);
            return (int)(await command.ExecuteScalarAsync(ct))!;
        }, CancellationToken.None);

        Assert.That((answer, attempts), Is.EqualTo((42, 2)));
    }

    [Test]
    public async Task Past_the_tolerance_the_outage_is_one_clear_error_naming_the_setting_and_the_step()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        var outage = Outage(TimeSpan.FromSeconds(2));
        var attempts = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var error = Assert.ThrowsAsync<DatabaseOutageException>(() => outage.ExecuteAsync("storing a user's data", async ct =>
        {
            attempts++;
            await using var connection = new NpgsqlConnection(ClosedPortConnectionString(db));
            await connection.OpenAsync(ct);
        }, CancellationToken.None));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.Message, Does.Contain("Database:OutageTolerance (00:00:02)").And.Contain("storing a user's data"));
            Assert.That(attempts, Is.InRange(2, 4), "1 s, then 2 s apart");
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(30)));
        }
    }

    [Test]
    public async Task A_constraint_violation_is_not_an_outage_and_fails_at_once()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        var outage = Outage(TimeSpan.FromMinutes(1));
        var attempts = 0;

        Assert.ThrowsAsync<PostgresException>(() => outage.ExecuteAsync("testing", async ct =>
        {
            attempts++;
            await using var connection = await db.DataSource.OpenConnectionAsync(ct);
            await using var command = new NpgsqlCommand("INSERT INTO lastfm_users (username) VALUES ('   ')", connection);
            await command.ExecuteNonQueryAsync(ct);
        }, CancellationToken.None));

        Assert.That(attempts, Is.EqualTo(1));
    }

    [TestCase("57P01", true)]
    [TestCase("57P02", true)]
    [TestCase("57P03", true)]
    [TestCase("08006", true)]
    [TestCase("08001", true)]
    [TestCase("23514", false)]
    [TestCase("42P01", false)]
    public void Server_shutdown_startup_and_connection_errors_are_transient_and_data_errors_are_not(string sqlState, bool transient) =>
        Assert.That(DatabaseOutage.IsTransient(new PostgresException("test", "FATAL", "FATAL", sqlState)), Is.EqualTo(transient));

    private static DatabaseOutage Outage(TimeSpan tolerance) =>
        new(Options.Create(new DatabaseOptions { OutageTolerance = tolerance }), TimeProvider.System, NullLogger<DatabaseOutage>.Instance);

    private static string ClosedPortConnectionString(TestDatabase db)
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new NpgsqlConnectionStringBuilder(db.ConnectionString) { Host = "127.0.0.1", Port = port, Pooling = false }.ConnectionString;
    }
}
