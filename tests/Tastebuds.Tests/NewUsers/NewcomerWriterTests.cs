using Tastebuds.Core;
using Tastebuds.Core.Similarity;
using Tastebuds.Tests.Support;
using Tastebuds.Worker.NewUsers;

namespace Tastebuds.Tests.NewUsers;

/// <summary>The incremental step's writer of user_similarities against the table's compact types (sql/0012).</summary>
public sealed class NewcomerWriterTests
{
    private TestDatabase _db = null!;

    [OneTimeSetUp]
    public async Task CreateDatabase()
    {
        _db = await TestPostgres.CreateDatabaseAsync();
        await _db.ExecuteAsync("INSERT INTO lastfm_users (username) VALUES ('newcomer'), ('old-timer')");
    }

    [OneTimeTearDown]
    public async Task DropDatabase() => await _db.DisposeAsync();

    [Test]
    public async Task Shared_counts_beyond_smallint_are_saturated_at_32767_in_both_lists()
    {
        var newcomer = await _db.ScalarAsync<long>("SELECT id FROM lastfm_users WHERE username = 'newcomer'");
        var other = await _db.ScalarAsync<long>("SELECT id FROM lastfm_users WHERE username = 'old-timer'");
        // More shared items than a smallint holds (the writers saturate, as NeighbourWriter does): 40,000 tracks alone, and a
        // sum of 40,000 + 20,000 + 10 = 60,010 items.
        var neighbour = new Neighbour(0, 0.9, 0.9, 0.8, 0.7, 40_000, 20_000, 10);
        var ranked = Enum.GetValues<SimilarityMetric>().Select(_ => new[] { neighbour }).ToArray();
        var scores = new NewcomerScores([other], ranked, usersSharing: 1, maxNeighbours: 50);

        await using (var connection = await _db.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await NewcomerWriter.WriteNeighboursAsync(connection, newcomer, scores, 50, DateTimeOffset.UnixEpoch, CancellationToken.None);
            await transaction.CommitAsync();
        }

        var rows = await _db.ScalarAsync<long>(
            $"""
            SELECT count(*) FROM user_similarities
            WHERE user_id IN ({newcomer}, {other})
              AND shared_tracks = 32767 AND shared_albums = 20000 AND shared_artists = 10 AND shared_items = 32767
            """);
        Assert.That(rows, Is.EqualTo(6), "three metrics in the newcomer's lists and three in the other user's, counts saturated");
    }
}
