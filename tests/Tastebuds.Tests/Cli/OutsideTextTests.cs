using Dapper;
using Tastebuds.Tests.Recommendations;
using Tastebuds.Tests.Support;

namespace Tastebuds.Tests.Cli;

/// <summary>
/// Names from Last.fm are outside text: a user, a track and an artist whose names hold terminal escapes, a newline and
/// a bidi override, put straight into the database, are printed by the verbs as visible escapes, never raw.
/// </summary>
[NonParallelizable]
public sealed class OutsideTextTests
{
    private const string EvilUser = "\u001b[31mred\u001b[0m\nforged row";
    private const string EvilUserPrinted = @"\e[31mred\e[0m\nforged row";
    private const string EvilTrack = "Bell\u0007 \u009b2J\ttrack";
    private const string EvilTrackPrinted = @"Bell\u0007 \u009B2J\ttrack";
    private const string EvilArtist = "Right\u202Eto left";
    private const string EvilArtistPrinted = @"Right\u202Eto left";
    private const string UnicodeUser = "Zoë 東京 🎧";

    private StageScenario _scenario = null!;
    private Dictionary<string, string?> _environment = null!;
    private string _neighbourOfEvil = null!;
    private string _recommendedEvilTrack = null!;

    [OneTimeSetUp]
    public async Task NameUsersTracksAndArtistsBadly()
    {
        _scenario = await StageScenario.StartAsync(users: 16, seed: 23);
        _environment = new Dictionary<string, string?> { ["ConnectionStrings__Postgres"] = _scenario.Database.ConnectionString };
        await using var connection = await _scenario.Database.DataSource.OpenConnectionAsync();
        var names = (await connection.QueryAsync<string>("SELECT username FROM lastfm_users ORDER BY total_playcount DESC, username")).ToList();
        await connection.ExecuteAsync("UPDATE lastfm_users SET username = @to WHERE username = @from", new { to = EvilUser, from = names[0] });
        await connection.ExecuteAsync("UPDATE lastfm_users SET username = @to WHERE username = @from", new { to = UnicodeUser, from = names[1] });

        // Renamed before the stages run, so the recommendations' explanations carry the names as stored.
        await (await _scenario.RecalculatorAsync()).RecalculateAsync(CancellationToken.None);
        await (await _scenario.GeneratorAsync()).GenerateAsync(CancellationToken.None);

        _neighbourOfEvil = await connection.QueryFirstAsync<string>(
            """
            SELECT u.username FROM user_similarities s JOIN lastfm_users u ON u.id = s.user_id JOIN lastfm_users v ON v.id = s.similar_user_id
            WHERE v.username = @evil AND s.metric = 'cosine' ORDER BY s.rank, u.username LIMIT 1
            """, new { evil = EvilUser });

        // Track and artist names are read at query time: the first recommendation of some user gets the bad names.
        var (user, trackId) = await connection.QueryFirstAsync<(string, long)>(
            "SELECT u.username, r.track_id FROM collaborative_recommendations r JOIN lastfm_users u ON u.id = r.user_id WHERE r.rank = 1 ORDER BY u.username LIMIT 1");
        await connection.ExecuteAsync("UPDATE tracks SET name = @name WHERE id = @trackId", new { name = EvilTrack, trackId });
        await connection.ExecuteAsync("UPDATE artists SET name = @name WHERE id = (SELECT artist_id FROM tracks WHERE id = @trackId)", new { name = EvilArtist, trackId });
        _recommendedEvilTrack = user;
    }

    [OneTimeTearDown]
    public async Task Drop() => await _scenario.DisposeAsync();

    [Test]
    public async Task Similar_prints_a_neighbour_named_with_escapes_escaped_and_the_user_itself_in_its_heading()
    {
        var neighbours = await WorkerProcess.RunAsync(["similar", "--user", _neighbourOfEvil, "--limit", "1000"], _environment);
        var own = await WorkerProcess.RunAsync(["similar", "--user", EvilUser], _environment);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(neighbours.ExitCode, Is.Zero, neighbours.Stderr);
            Assert.That(TableLines(neighbours.Stdout).Any(l => l.Contains(EvilUserPrinted, StringComparison.Ordinal)), neighbours.Stdout);
            Assert.That(own.ExitCode, Is.Zero, own.Stderr);
            Assert.That(own.Stdout, Does.Contain($"similar to {EvilUserPrinted} (cosine)").Or.Contain($"stored for {EvilUserPrinted}:"));
            AssertNoControlCharacters(neighbours.Stdout + own.Stdout);
        }
    }

    [Test]
    public async Task Recommend_prints_a_user_a_track_and_an_artist_named_with_escapes_escaped()
    {
        var evil = await WorkerProcess.RunAsync(["recommend", "--user", EvilUser], _environment);
        var track = await WorkerProcess.RunAsync(["recommend", "--user", _recommendedEvilTrack, "--limit", "1"], _environment);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(evil.ExitCode, Is.Zero, evil.Stderr);
            Assert.That(evil.Stdout, Does.Contain($"Recommendations for {EvilUserPrinted} (").Or.Contain($"No recommendations for {EvilUserPrinted} yet"));
            Assert.That(track.ExitCode, Is.Zero, track.Stderr);
            Assert.That(TableLines(track.Stdout).Any(l => l.Contains(EvilTrackPrinted, StringComparison.Ordinal) && l.Contains(EvilArtistPrinted, StringComparison.Ordinal)),
                track.Stdout);
            AssertNoControlCharacters(evil.Stdout + track.Stdout);
        }
    }

    [Test]
    public async Task Status_prints_a_user_named_with_escapes_escaped_and_accents_cjk_and_emoji_as_they_are()
    {
        var status = await WorkerProcess.RunAsync(["status", "--limit", "1000"], _environment);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status.ExitCode, Is.Zero, status.Stderr);
            Assert.That(TableLines(status.Stdout).Any(l => l.Contains(EvilUserPrinted, StringComparison.Ordinal)), status.Stdout);
            Assert.That(TableLines(status.Stdout).Any(l => l.Contains(UnicodeUser, StringComparison.Ordinal)), status.Stdout);
            Assert.That(TableLines(status.Stdout).Where(l => l.StartsWith("│ forged row", StringComparison.Ordinal)), Is.Empty,
                "the newline did not start a line of its own");
            AssertNoControlCharacters(status.Stdout);
        }
    }

    private static IEnumerable<string> TableLines(string output) => output.Split('\n').Where(l => l.StartsWith('│'));

    private static void AssertNoControlCharacters(string output) =>
        Assert.That(output.Where(c => c != '\n' && (char.IsControl(c) || c is '\u202E')), Is.Empty, "raw control characters in the output");
}
