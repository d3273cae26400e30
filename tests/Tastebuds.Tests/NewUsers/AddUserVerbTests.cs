using Tastebuds.Tests.Support;

namespace Tastebuds.Tests.NewUsers;

/// <summary>The <c>add-user</c> verb as operators run it: a separate process on a test database.</summary>
public sealed class AddUserVerbTests
{
    [Test]
    public async Task Add_user_adds_every_name_once_and_a_name_that_cannot_be_a_username_adds_nobody_and_exits_2()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        var environment = new Dictionary<string, string?> { ["ConnectionStrings__Postgres"] = db.ConnectionString };
        await db.ExecuteAsync("INSERT INTO lastfm_users (username, is_active) VALUES ('Known', false)");

        var added = await WorkerProcess.RunAsync(["add-user", "alice", " Bob ", "known"], environment);
        var refused = await WorkerProcess.RunAsync(["add-user", "carol", "bad name\u001b[31m"], environment);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(added.ExitCode, Is.Zero, added.Stderr);
            Assert.That(added.Stdout, Does.Contain("Added alice").And.Contain("Added Bob").And.Contain("Already known: known"));
            Assert.That(await db.ScalarAsync<string>("SELECT string_agg(username || ':' || is_active, ',' ORDER BY lower(username)) FROM lastfm_users"),
                Is.EqualTo("alice:true,Bob:true,Known:true"), "trimmed, once each, the known one active again");
            Assert.That(refused.ExitCode, Is.EqualTo(2));
            Assert.That(refused.Stderr, Does.Contain("is not a Last.fm username").And.Contain("Nobody was added"));
            // Ordinal: a culture-aware search ignores control characters and "finds" one everywhere.
            Assert.That(refused.Stderr.Contains('\u001b', StringComparison.Ordinal), Is.False, "the terminal escape is not echoed");
            Assert.That(await db.ScalarAsync<long>("SELECT count(*) FROM lastfm_users WHERE username = 'carol'"), Is.Zero,
                "one bad name adds nobody");
        }
    }
}
