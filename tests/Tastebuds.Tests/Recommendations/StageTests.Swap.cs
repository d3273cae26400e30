using System.Collections.Concurrent;
using Dapper;
using Npgsql;

namespace Tastebuds.Tests.Recommendations;

public sealed partial class StageTests
{
    [Test]
    public async Task A_reader_during_recalculations_sees_one_whole_result_and_never_a_mix()
    {
        var wide = await _scenario.RecalculatorAsync(new Dictionary<string, string?> { ["MaxSimilarUsers"] = "50" });
        var narrow = await _scenario.RecalculatorAsync(new Dictionary<string, string?> { ["MaxSimilarUsers"] = "2", ["SimilarityThreshold"] = "0.2" });
        var complete = new ConcurrentDictionary<DateTime, long>();
        var first = await wide.RecalculateAsync(CancellationToken.None);
        complete[first.ComputedAt.UtcDateTime] = first.RowsWritten;

        var seen = new ConcurrentBag<(DateTime At, long Rows)[]>();
        using var stop = new CancellationTokenSource();
        var reader = Task.Run(async () =>
        {
            await using var connection = await _scenario.Database.DataSource.OpenConnectionAsync();
            while (!stop.IsCancellationRequested)
            {
                var groups = await connection.QueryAsync<(DateTime, long)>(
                    "SELECT computed_at, count(*) FROM user_similarities GROUP BY computed_at");
                seen.Add(groups.ToArray());
            }
        });

        for (var i = 0; i < 3; i++)
        {
            foreach (var run in (Worker.Similarity.SimilarityRecalculator[])[narrow, wide])
            {
                var r = await run.RecalculateAsync(CancellationToken.None);
                complete[r.ComputedAt.UtcDateTime] = r.RowsWritten;
            }
        }

        // Two at once: the swaps take turns (table lock), neither fails, the table holds one of them whole.
        var together = await Task.WhenAll(wide.RecalculateAsync(CancellationToken.None), narrow.RecalculateAsync(CancellationToken.None));
        foreach (var r in together)
        {
            complete[r.ComputedAt.UtcDateTime] = r.RowsWritten;
        }

        await stop.CancelAsync();
        await reader;

        var observations = seen.ToArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.RowsWritten, Is.Not.EqualTo(complete.Values.Min()), "the two settings give different results");
            Assert.That(observations, Has.Length.GreaterThan(20), "the reader ran during the recalculations");
            Assert.That(observations.Where(o => o.Length != 1), Is.Empty, "a read saw rows of two runs at once (or none)");
            Assert.That(observations.Where(o => o.Length == 1 && complete.GetValueOrDefault(o[0].At) != o[0].Rows).Select(o => o[0]), Is.Empty,
                "a read saw part of a run");
            Assert.That(observations.Select(o => o[0].At).Distinct().Count(), Is.GreaterThan(2), "the reader saw several results come and go");
        }
    }

    [Test]
    public async Task A_cancelled_or_failing_recalculation_keeps_the_previous_neighbours_and_logs_why()
    {
        var recalculator = await _scenario.RecalculatorAsync();
        var before = await recalculator.RecalculateAsync(CancellationToken.None);
        var db = _scenario.Database;

        // Inside the swap transaction, the new generation loaded and indexed, waiting for the lock that swaps it in:
        // the worst moment to stop. A reader holding the table keeps the swap waiting there.
        Exception? cancelled;
        await using (var holder = await db.DataSource.OpenConnectionAsync())
        {
            await using var hold = await holder.BeginTransactionAsync();
            await holder.ExecuteAsync("LOCK TABLE user_similarities IN ACCESS SHARE MODE", transaction: hold);
            using var cancel = new CancellationTokenSource();
            var run = recalculator.RecalculateAsync(cancel.Token);
            while (await db.ScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'LOCK TABLE user_similarities%'") == 0)
            {
                Assert.That(run.IsCompleted, Is.False, "the run ended before reaching the swap");
                await Task.Delay(20);
            }

            await cancel.CancelAsync();
            cancelled = Assert.CatchAsync(async () => await run);
        }

        // A failure after the load: the keys of the new generation cannot be built.
        await db.ExecuteAsync(
            """
            CREATE FUNCTION test_fail() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full (test)'; END $$;
            CREATE EVENT TRIGGER test_fail ON ddl_command_start WHEN TAG IN ('ALTER TABLE') EXECUTE FUNCTION test_fail();
            """);
        Exception? failed;
        try
        {
            failed = Assert.CatchAsync(async () => await recalculator.RecalculateAsync(CancellationToken.None));
        }
        finally
        {
            await db.ExecuteAsync("DROP EVENT TRIGGER test_fail; DROP FUNCTION test_fail();");
        }

        await using var connection = await db.DataSource.OpenConnectionAsync();
        var statuses = (await connection.QueryAsync<(string Status, string? Error, bool Finished)>(
            "SELECT status, error_message, finished_at IS NOT NULL FROM data_fetch_logs WHERE job_type = 'recalculate_similarities' ORDER BY id DESC LIMIT 2")).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(cancelled, Is.InstanceOf<OperationCanceledException>());
            Assert.That(failed, Is.InstanceOf<PostgresException>().With.Message.Contains("disk full (test)"));
            Assert.That(await db.ScalarAsync<long>("SELECT count(*) FROM user_similarities"), Is.EqualTo(before.RowsWritten));
            Assert.That(await db.ScalarAsync<DateTime>("SELECT min(computed_at) FROM user_similarities"), Is.EqualTo(before.ComputedAt.UtcDateTime));
            Assert.That(await db.ScalarAsync<DateTime>("SELECT max(computed_at) FROM user_similarities"), Is.EqualTo(before.ComputedAt.UtcDateTime));
            Assert.That(statuses[0].Status, Is.EqualTo("failed"));
            Assert.That(statuses[0].Error, Does.Contain("disk full (test)"));
            Assert.That(statuses[1].Status, Is.EqualTo("cancelled"));
            Assert.That(statuses.All(s => s.Finished), Is.True, "no log row is left running");
            Assert.That(await db.ScalarAsync<long>("SELECT count(DISTINCT regexp_replace(relname, '_[0-9]+$', '')) FROM pg_class WHERE relname LIKE 'user\\_similarities\\_g%' AND relkind = 'r'"), Is.EqualTo(1),
                "one generation remains: the unfinished runs left no table behind");
        }
    }
}
