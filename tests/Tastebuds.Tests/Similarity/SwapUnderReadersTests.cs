using System.Collections.Concurrent;
using Dapper;
using Npgsql;
using NpgsqlTypes;
using Tastebuds.Tests.Support;
using Tastebuds.Worker.Database;

namespace Tastebuds.Tests.Similarity;

/// <summary>
/// The generation swap (<see cref="StagedTableSwap"/>) with readers at work: whole generations only, and a swap that
/// waits for a long reader does not hold the readers arriving meanwhile in the lock queue behind it.
/// </summary>
public sealed class SwapUnderReadersTests
{
    private const string Columns = "user_id, similar_user_id, metric, similarity_score, rank, computed_at";
    private const int Users = 40;
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private TestDatabase _db = null!;

    [SetUp]
    public async Task SetUp()
    {
        _db = await TestPostgres.CreateDatabaseAsync();
        await _db.ExecuteAsync($"INSERT INTO lastfm_users (id, username) OVERRIDING SYSTEM VALUE SELECT i, 'user' || i FROM generate_series(1, {Users}) i");
    }

    [TearDown]
    public async Task TearDown() => await _db.DisposeAsync();

    [Test]
    public async Task A_swap_waiting_for_a_long_reader_lets_new_readers_through_and_then_swaps_in_whole()
    {
        await SwapAsync(generation: 1, neighbours: 3);

        await using var holder = await _db.DataSource.OpenConnectionAsync();
        await using var hold = await holder.BeginTransactionAsync();
        await holder.ExecuteAsync("SELECT count(*) FROM user_similarities", transaction: hold);
        var swap = SwapAsync(generation: 2, neighbours: 5);
        // The swap is at its lock: an attempt waiting, or rolled back and pausing before the next one.
        while (await _db.ScalarAsync<long>(
            """
            SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
              AND (query LIKE 'LOCK TABLE user_similarities%' OR query LIKE 'ROLLBACK TO SAVEPOINT swap_lock%')
            """) == 0)
        {
            Assert.That(swap.IsCompleted, Is.False, "the swap ended before reaching its lock");
            await Task.Delay(10);
        }

        // Without the short lock timeout these reads would queue behind the swap's lock request, itself behind the
        // long reader, until the reader ends: here they would hit the statement timeout instead.
        var seen = new List<(DateTime At, long Rows)[]>();
        await using (var reader = await _db.DataSource.OpenConnectionAsync())
        {
            await reader.ExecuteAsync("SET statement_timeout = '5s'");
            for (var i = 0; i < 20; i++)
            {
                seen.Add((await reader.QueryAsync<(DateTime, long)>("SELECT computed_at, count(*) FROM user_similarities GROUP BY computed_at")).ToArray());
            }
        }

        var waited = swap.IsCompleted;
        await hold.CommitAsync();
        await swap;

        var after = (await holder.QueryAsync<(DateTime, long)>("SELECT computed_at, count(*) FROM user_similarities GROUP BY computed_at")).ToArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(waited, Is.False, "the swap waited for the long reader");
            Assert.That(seen.SelectMany(s => s).Distinct(), Is.EqualTo(new[] { (At(1), Users * 3L) }), "the readers saw the old generation whole");
            Assert.That(after, Is.EqualTo(new[] { (At(2), Users * 5L) }), "then the new one, whole");
            Assert.That(await GenerationTablesAsync(), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Readers_under_load_during_repeated_swaps_each_see_one_whole_generation()
    {
        await SwapAsync(generation: 1, neighbours: 1);
        var rows = new ConcurrentDictionary<DateTime, long> { [At(1)] = Users };
        var seen = new ConcurrentBag<(DateTime At, long Rows)[]>();
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            await using var connection = await _db.DataSource.OpenConnectionAsync();
            while (!stop.IsCancellationRequested)
            {
                seen.Add((await connection.QueryAsync<(DateTime, long)>("SELECT computed_at, count(*) FROM user_similarities GROUP BY computed_at")).ToArray());
            }
        })).ToArray();

        for (var generation = 2; generation <= 8; generation++)
        {
            var neighbours = 1 + (generation % 4);
            rows[At(generation)] = Users * (long)neighbours;
            await SwapAsync(generation, neighbours);
        }

        await stop.CancelAsync();
        await Task.WhenAll(readers);
        var observations = seen.ToArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(observations, Has.Length.GreaterThan(50), "the readers ran during the swaps");
            Assert.That(observations.Where(o => o.Length != 1), Is.Empty, "a read saw two generations at once, or none");
            Assert.That(observations.Where(o => o.Length == 1 && rows[o[0].At] != o[0].Rows).Select(o => o[0]), Is.Empty, "a read saw part of a generation");
            Assert.That(observations.Select(o => o[0].At).Distinct().Count(), Is.GreaterThan(2), "the readers saw generations come and go");
            Assert.That(await GenerationTablesAsync(), Is.EqualTo(1), "old generations are dropped");
        }
    }

    [Test]
    public async Task A_generation_left_detached_by_an_unfinished_drop_goes_with_the_next_swap()
    {
        await SwapAsync(generation: 1, neighbours: 2);
        // What a swap leaves when its drop after the commit fails: a detached generation that keeps its foreign keys.
        await _db.ExecuteAsync(
            """
            CREATE TABLE user_similarities_gdeadbeef (LIKE user_similarities INCLUDING ALL);
            ALTER TABLE user_similarities_gdeadbeef ADD FOREIGN KEY (user_id) REFERENCES lastfm_users (id);
            """);

        await SwapAsync(generation: 2, neighbours: 3);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await _db.ScalarAsync<bool>("SELECT to_regclass('user_similarities_gdeadbeef') IS NULL"), Is.True);
            Assert.That(await GenerationTablesAsync(), Is.EqualTo(1));
            Assert.That(await _db.ScalarAsync<long>("SELECT count(*) FROM user_similarities"), Is.EqualTo(Users * 3L));
            Assert.That(await _db.ScalarAsync<long>(
                "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND confrelid = 'lastfm_users'::regclass AND conrelid::regclass::text LIKE 'user\\_similarities\\_g%'"),
                Is.EqualTo(2), "the current generation's two foreign keys, nothing of the old ones");
        }
    }

    private static DateTime At(int generation) => Start.AddHours(generation).UtcDateTime;

    private async Task<long> GenerationTablesAsync() =>
        await _db.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname LIKE 'user\\_similarities\\_g%' AND relkind = 'r'");

    /// <summary>A generation: each user's next <paramref name="neighbours"/> users (wrapping round), stamped with its own time.</summary>
    private async Task SwapAsync(int generation, int neighbours)
    {
        await using var connection = await _db.DataSource.OpenConnectionAsync();
        await StagedTableSwap.ReplaceAsync(connection, "user_similarities", Columns, async copy =>
        {
            long written = 0;
            for (var u = 1; u <= Users; u++)
            {
                for (var r = 1; r <= neighbours; r++)
                {
                    await copy.StartRowAsync();
                    await copy.WriteAsync(u, NpgsqlDbType.Integer);
                    await copy.WriteAsync(((u - 1 + r) % Users) + 1, NpgsqlDbType.Integer);
                    await copy.WriteAsync("cosine", NpgsqlDbType.Text);
                    await copy.WriteAsync(1f / r, NpgsqlDbType.Real);
                    await copy.WriteAsync((short)r, NpgsqlDbType.Smallint);
                    await copy.WriteAsync(Start.AddHours(generation), NpgsqlDbType.TimestampTz);
                    written++;
                }
            }

            return written;
        }, TimeSpan.FromMinutes(1), CancellationToken.None);
    }
}
