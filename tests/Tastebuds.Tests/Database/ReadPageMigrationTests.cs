using Dapper;
using Tastebuds.Tests.Support;

namespace Tastebuds.Tests.Database;

/// <summary>sql/0015 replaces recommendation_page's body; every page a reader can ask for must come out byte for byte as before.</summary>
public sealed class ReadPageMigrationTests
{
    private static readonly string[] Calls =
    [
        "get_collaborative_recommendations('rj')",
        "get_collaborative_recommendations('RJ', 100, 'cosine')",
        "get_collaborative_recommendations('rj', 100, 'hybrid')",
        "get_collaborative_recommendations('rj', 100, 'item-knn')",
        "get_collaborative_recommendations('rj', 2, 'hybrid')",
        "get_collaborative_recommendations('rj', 0)",
        "get_collaborative_recommendations('rj', NULL, 'als')",
        "get_collaborative_recommendations('nobody-holds')",
        "get_collaborative_recommendations('no such user')",
    ];

    [Test]
    public async Task Upgrading_from_0014_renders_every_page_exactly_as_before()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync(migrate: false);
        db.MigrateBefore("0015");
        await ReadFunctionRenderingTests.FillEveryKindOfReasonAsync(db);
        var before = await PagesAsync(db);

        await db.MigrateAsync();
        var after = await PagesAsync(db);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await db.ScalarAsync<string>("SELECT prosrc FROM pg_proc WHERE proname = 'recommendation_page'"),
                Does.Contain("coalesce('{\"track\":'"), "sql/0015's body is the one read after the upgrade");
            Assert.That(before.Sum(p => p.Count), Is.GreaterThan(10), "pages of every method were read");
            Assert.That(after, Is.EqualTo(before));
        }
    }

    private static async Task<List<List<string>>> PagesAsync(TestDatabase db)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        var pages = new List<List<string>>();
        foreach (var call in Calls)
        {
            // Each row as PostgreSQL's own text of the whole record: every column, the explanation's exact bytes included.
            pages.Add((await connection.QueryAsync<string>($"SELECT g::text FROM {call} g")).AsList());
        }

        return pages;
    }
}
