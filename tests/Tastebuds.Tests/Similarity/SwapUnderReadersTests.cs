using System.Collections.Concurrent;
using Dapper;
using Npgsql;
using Tastebuds.Tests.Support;
using Tastebuds.Worker.Database;

namespace Tastebuds.Tests.Similarity;

/// <summary>
/// The generation swap (<see cref="StagedTableSwap"/>) with readers at work: whole generations only, and a swap that
/// waits for a long reader does not hold the readers arriving meanwhile in the lock queue behind it. Each generation here
/// is written in two parts (user ids 1–20 and 21–40), as the stages write theirs (Database:WriteConnections = 2).
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
            Assert.That(await GenerationsAsync(), Is.EqualTo(new[] { Parts }), "one generation, in its parts");
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
            Assert.That(await GenerationsAsync(), Is.EqualTo(new[] { Parts }), "old generations are dropped");
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
            Assert.That(await GenerationsAsync(), Is.EqualTo(new[] { Parts }));
            Assert.That(await _db.ScalarAsync<long>("SELECT count(*) FROM user_similarities"), Is.EqualTo(Users * 3L));
            Assert.That(await _db.ScalarAsync<long>(
                "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND confrelid = 'lastfm_users'::regclass AND conrelid::regclass::text LIKE 'user\\_similarities\\_g%'"),
                Is.EqualTo(2 * Parts), "the current generation's two foreign keys a part, nothing of the old ones");
        }
    }

    [Test]
    public async Task A_swap_leaves_the_parts_of_a_generation_still_being_written_and_the_last_swap_wins()
    {
        await SwapAsync(generation: 1, neighbours: 2);
        var firstPartBuilt = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var slow = SwapAsync(generation: 2, neighbours: 4, async parts =>
        {
            // The first part completed (committed, not attached), the second still open.
            parts.Complete(0);
            firstPartBuilt.SetResult();
            await release.Task;
        });
        await firstPartBuilt.Task;
        while (await _db.ScalarAsync<long>(
            "SELECT count(*) FROM pg_class c JOIN pg_constraint k ON k.conrelid = c.oid WHERE c.relname LIKE 'user\\_similarities\\_g%\\_0' AND k.contype = 'f' AND NOT c.relispartition") == 0)
        {
            await Task.Delay(10);
        }

        await SwapAsync(generation: 3, neighbours: 3);
        var whileWriting = await _db.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname LIKE 'user\\_similarities\\_g%' AND relkind = 'r' AND NOT relispartition");
        release.SetResult();
        await slow;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(whileWriting, Is.EqualTo(Parts), "the other run's parts, committed or still in their COPY, were left to it");
            Assert.That(await QueryAsync<(DateTime, long)>("SELECT computed_at, count(*) FROM user_similarities GROUP BY computed_at"),
                Is.EqualTo(new[] { (At(2), Users * 4L) }), "the run that swapped last is the current generation, whole");
            Assert.That(await GenerationsAsync(), Is.EqualTo(new[] { Parts }));
        }
    }

    [Test]
    public async Task A_run_that_fails_after_a_part_was_committed_leaves_nothing_of_its_generation()
    {
        await SwapAsync(generation: 1, neighbours: 2);
        var failing = SwapAsync(generation: 2, neighbours: 4, async parts =>
        {
            parts.Complete(0);
            while (await _db.ScalarAsync<long>(
                "SELECT count(*) FROM pg_class WHERE relname LIKE 'user\\_similarities\\_g%\\_0' AND NOT relispartition AND reltuples >= 0") == 0)
            {
                await Task.Delay(10);
            }

            throw new InvalidOperationException("the compute behind the second part failed");
        });

        Assert.That(async () => await failing, Throws.InvalidOperationException);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await QueryAsync<(DateTime, long)>("SELECT computed_at, count(*) FROM user_similarities GROUP BY computed_at"),
                Is.EqualTo(new[] { (At(1), Users * 2L) }), "the old generation, whole");
            Assert.That(await GenerationsAsync(), Is.EqualTo(new[] { Parts }), "the failed run's committed part was dropped");
        }
    }

    [Test]
    public async Task A_row_written_into_the_wrong_part_fails_the_run_and_keeps_the_old_generation()
    {
        await SwapAsync(generation: 1, neighbours: 2);
        var wrong = StagedTableSwap.ReplaceAsync(_db.DataSource, "user_similarities", Columns, [Split], parts =>
        {
            Row(parts[0], Users, 1, 1, 5);
            return Task.FromResult(1L);
        }, TimeSpan.FromMinutes(1), new SwapSteps(), CancellationToken.None);

        Assert.That(async () => await wrong, Throws.InstanceOf<PostgresException>().With.Property(nameof(PostgresException.SqlState)).EqualTo("23514"),
            "the part's range check");
        Assert.That(await QueryAsync<(DateTime, long)>("SELECT computed_at, count(*) FROM user_similarities GROUP BY computed_at"),
            Is.EqualTo(new[] { (At(1), Users * 2L) }));
    }

    private static DateTime At(int generation) => Start.AddHours(generation).UtcDateTime;

    /// <summary>The generation tables (attached or not), as the number of parts of each generation.</summary>
    private Task<long[]> GenerationsAsync() =>
        QueryAsync<long>(
            "SELECT count(*) FROM pg_class WHERE relname LIKE 'user\\_similarities\\_g%' AND relkind = 'r' GROUP BY regexp_replace(relname, '_[0-9]+$', '')");

    private const int Parts = 2;

    private async Task<T[]> QueryAsync<T>(string sql)
    {
        await using var connection = await _db.DataSource.OpenConnectionAsync();
        return [.. await connection.QueryAsync<T>(sql)];
    }

    /// <summary>Where the second part begins: user ids 1–20, then 21–40.</summary>
    private const long Split = (Users / 2) + 1;

    /// <summary>
    /// A generation in two parts, each written by a task of its own: each user's next <paramref name="neighbours"/> users
    /// (wrapping round), stamped with its own time; <paramref name="between"/> runs once the first part's rows are written.
    /// </summary>
    private Task<long> SwapAsync(int generation, int neighbours, Func<GenerationParts, Task>? between = null) =>
        StagedTableSwap.ReplaceAsync(_db.DataSource, "user_similarities", Columns, [Split], async parts =>
        {
            var first = Task.Run(() => WriteUsers(parts[0], 1, (int)Split - 1, generation, neighbours));
            var written = await first;
            if (between is not null)
            {
                await between(parts);
            }

            written += await Task.Run(() => WriteUsers(parts[1], (int)Split, Users, generation, neighbours));
            return written;
        }, TimeSpan.FromMinutes(1), new SwapSteps(), CancellationToken.None);

    private static long WriteUsers(BinaryCopyRows copy, int from, int to, int generation, int neighbours)
    {
        long written = 0;
        for (var u = from; u <= to; u++)
        {
            for (var r = 1; r <= neighbours; r++)
            {
                Row(copy, u, ((u - 1 + r) % Users) + 1, r, generation);
                written++;
            }
        }

        return written;
    }

    private static void Row(BinaryCopyRows copy, int user, int similar, int rank, int generation)
    {
        copy.StartRow(6);
        copy.Int4(user);
        copy.Int4(similar);
        copy.Text("cosine"u8);
        copy.Float4(1f / rank);
        copy.Int2((short)rank);
        copy.TimestampTz(Start.AddHours(generation));
    }
}
