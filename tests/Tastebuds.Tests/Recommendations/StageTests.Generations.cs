using Dapper;

namespace Tastebuds.Tests.Recommendations;

public sealed partial class StageTests
{
    [Test]
    public async Task Repeated_runs_replace_whole_generations_so_the_result_tables_do_not_grow()
    {
        var recalculator = await _scenario.RecalculatorAsync(Settings);
        var generator = await _scenario.GeneratorAsync(Settings);
        var db = _scenario.Database;
        var sizes = new List<(long Similarities, long Recommendations)>();
        for (var run = 0; run < 5; run++)
        {
            await recalculator.RecalculateAsync(CancellationToken.None);
            await generator.GenerateAsync(CancellationToken.None);
            sizes.Add((await SizeAsync(db, "user_similarities"), await SizeAsync(db, "collaborative_recommendations")));
        }

        await using var connection = await db.DataSource.OpenConnectionAsync();
        var partitions = (await connection.QueryAsync<string>(
            """
            SELECT inhparent::regclass::text FROM pg_inherits
            WHERE inhparent IN ('user_similarities'::regclass, 'collaborative_recommendations'::regclass)
            GROUP BY inhparent, regexp_replace(inhrelid::regclass::text, '_[0-9]+$', '')
            """)).ToList();
        var dead = await connection.QuerySingleAsync<long>(
            """
            SELECT coalesce(sum(n_dead_tup), 0)::bigint FROM pg_stat_user_tables
            WHERE relname LIKE 'user\_similarities\_%' OR relname LIKE 'collaborative\_recommendations\_%'
            """);
        TestContext.Out.WriteLine(string.Join(", ", sizes));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sizes[0].Similarities, Is.GreaterThan(0));
            Assert.That(sizes[^1].Similarities, Is.EqualTo(sizes[0].Similarities).Within(10).Percent, "user_similarities after 5 runs");
            Assert.That(sizes[^1].Recommendations, Is.EqualTo(sizes[0].Recommendations).Within(10).Percent, "collaborative_recommendations after 5 runs");
            Assert.That(partitions, Is.EquivalentTo(new[] { "user_similarities", "collaborative_recommendations" }), "one generation each (in its parts)");
            Assert.That(dead, Is.Zero, "no row was deleted: old generations are dropped whole");
        }
    }

    private static async Task<long> SizeAsync(Support.TestDatabase db, string table) => await db.ScalarAsync<long>(
        $"SELECT sum(pg_total_relation_size(relid))::bigint FROM pg_partition_tree('{table}'::regclass)");
}
