using Dapper;
using Tastebuds.Tests.Support;
using Tastebuds.Worker.Database;

namespace Tastebuds.Tests.Database;

/// <summary>
/// The binary COPY format written by hand (<see cref="BinaryCopyRows"/>), read back by PostgreSQL itself: every type the
/// result tables use, at their edges, and a swap whose row writer fails keeps the old generation.
/// </summary>
public sealed class BinaryCopyRowsTests
{
    private TestDatabase _db = null!;

    [SetUp]
    public async Task SetUp() => _db = await TestPostgres.CreateDatabaseAsync();

    [TearDown]
    public async Task TearDown() => await _db.DisposeAsync();

    private sealed record Back(int I, short S, float? F, string T, DateTime At);

    [Test]
    public async Task Every_type_comes_back_from_postgresql_as_written_with_nulls_and_extremes()
    {
        await _db.ExecuteAsync("CREATE TABLE copied (i integer, s smallint, f real, t text, at timestamptz)");
        var instants = new[]
        {
            new DateTimeOffset(2026, 11, 30, 23, 59, 59, TimeSpan.FromHours(5)).AddTicks(1_234_560),
            new DateTimeOffset(1999, 12, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(9_999_990),
            new DateTimeOffset(1970, 1, 1, 0, 0, 0, TimeSpan.Zero),
        };
        var written = new[]
        {
            (int.MinValue, short.MinValue, (float?)-1f, "cosine", instants[0]),
            (int.MaxValue, short.MaxValue, (float?)null, "café ♫ \"x\" \\ 'y'", instants[1]),
            (0, (short)0, (float?)float.Epsilon, "", instants[2]),
            (42, (short)7, (float?)0.123456789f, "pearson", instants[0]),
        };

        await using (var connection = await _db.DataSource.OpenConnectionAsync())
        await using (var stream = await connection.BeginRawBinaryCopyAsync("COPY copied (i, s, f, t, at) FROM STDIN (FORMAT BINARY)"))
        {
            var rows = new BinaryCopyRows(stream);
            foreach (var (i, s, f, t, at) in written)
            {
                rows.StartRow(5);
                rows.Int4(i);
                rows.Int2(s);
                rows.Float4(f);
                rows.Text(System.Text.Encoding.UTF8.GetBytes(t));
                rows.TimestampTz(at);
            }

            rows.Complete();
        }

        await using var reader = await _db.DataSource.OpenConnectionAsync();
        var back = (await reader.QueryAsync<Back>("SELECT i AS I, s AS S, f AS F, t AS T, at AS At FROM copied ORDER BY i")).ToArray();
        var expected = written.OrderBy(w => w.Item1).Select(w => new Back(w.Item1, w.Item2, w.Item3, w.Item4, w.Item5.UtcDateTime)).ToArray();
        Assert.That(back, Is.EqualTo(expected));
        Assert.That(await _db.ScalarAsync<string>("SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') FROM copied WHERE i = 0"),
            Is.EqualTo("1970-01-01 00:00:00.000000"));
    }

    [Test]
    public async Task Arrays_come_back_as_written_empty_ones_too_and_rows_larger_than_the_buffer_fit()
    {
        await _db.ExecuteAsync("CREATE TABLE copied (i integer, k smallint[], ids bigint[], w real[], big bigint)");
        var large = Enumerable.Range(0, 70_000).Select(i => (long)i * 3_000_000_000L).ToArray(); // ~840 KB: larger than the buffer
        await using (var connection = await _db.DataSource.OpenConnectionAsync())
        await using (var stream = await connection.BeginRawBinaryCopyAsync("COPY copied (i, k, ids, w, big) FROM STDIN (FORMAT BINARY)"))
        {
            var rows = new BinaryCopyRows(stream);
            rows.StartRow(5);
            rows.Int4(1);
            rows.Int2Array([short.MinValue, 0, 3]);
            rows.Int8Array([long.MinValue, -1, long.MaxValue]);
            rows.Float4Array([-0.5f, 1e-30f, float.MaxValue]);
            rows.Bigint(long.MinValue);
            rows.StartRow(5);
            rows.Int4(2);
            rows.Int2Array([]);
            rows.Int8Array([]);
            rows.Float4Array([]);
            rows.Bigint(long.MaxValue);
            rows.StartRow(5);
            rows.Int4(3);
            rows.Int2Array([1]);
            rows.Int8Array(large);
            rows.Float4Array([2f]);
            rows.Null();
            rows.Complete();
        }

        await using var reader = await _db.DataSource.OpenConnectionAsync();
        var back = (await reader.QueryAsync<(int I, short[] K, long[] Ids, float[] W, long? Big)>("SELECT i, k, ids, w, big FROM copied ORDER BY i")).ToArray();
        Assert.That(back[0].K, Is.EqualTo(new short[] { short.MinValue, 0, 3 }));
        Assert.That(back[0].Ids, Is.EqualTo(new[] { long.MinValue, -1, long.MaxValue }));
        Assert.That(back[0].W, Is.EqualTo(new[] { -0.5f, 1e-30f, float.MaxValue }));
        Assert.That(back[0].Big, Is.EqualTo(long.MinValue));
        Assert.That(back[1].K, Is.Empty);
        Assert.That(back[1].Ids, Is.Empty);
        Assert.That(back[1].W, Is.Empty);
        Assert.That(back[2].Ids, Is.EqualTo(large));
        Assert.That(back[2].Big, Is.Null);
        Assert.That(await _db.ScalarAsync<string>("SELECT array_dims(ids) || ' ' || coalesce(array_dims((SELECT ids FROM copied WHERE i = 2)), 'none') FROM copied WHERE i = 1"),
            Is.EqualTo("[1:3] none"), "one dimension from 1, and an empty array with none, as PostgreSQL's own");
    }

    [Test]
    public async Task Many_rows_go_out_in_several_buffers_and_all_arrive()
    {
        await _db.ExecuteAsync("CREATE TABLE copied (i integer, t text)");
        const int count = 100_000; // about 2 MB: several of the writer's buffers
        await using (var connection = await _db.DataSource.OpenConnectionAsync())
        await using (var stream = await connection.BeginRawBinaryCopyAsync("COPY copied (i, t) FROM STDIN (FORMAT BINARY)"))
        {
            var rows = new BinaryCopyRows(stream);
            var text = "jaccard"u8.ToArray();
            for (var i = 0; i < count; i++)
            {
                rows.StartRow(2);
                rows.Int4(i);
                rows.Text(text);
            }

            rows.Complete();
        }

        Assert.That(await _db.ScalarAsync<long>("SELECT count(*) FROM copied"), Is.EqualTo(count));
        Assert.That(await _db.ScalarAsync<long>("SELECT sum(i) FROM copied WHERE t = 'jaccard'"), Is.EqualTo((long)count * (count - 1) / 2));
    }

    [Test]
    public async Task A_swap_whose_row_writer_fails_halfway_keeps_the_old_generation_whole()
    {
        await _db.ExecuteAsync("INSERT INTO lastfm_users (id, username) OVERRIDING SYSTEM VALUE SELECT i, 'user' || i FROM generate_series(1, 3) i");
        const string columns = "user_id, similar_user_id, metric, similarity_score, rank, computed_at";
        var first = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await using var connection = await _db.DataSource.OpenConnectionAsync();
        await StagedTableSwap.ReplaceAsync(_db.DataSource, "user_similarities", columns, rows =>
        {
            Row(rows, 1, 2, 1, first);
            Row(rows, 2, 1, 1, first);
            return Task.FromResult(2L);
        }, TimeSpan.FromMinutes(1), new SwapSteps(), CancellationToken.None);

        var failing = StagedTableSwap.ReplaceAsync(_db.DataSource, "user_similarities", columns, rows =>
        {
            for (var i = 0; i < 50_000; i++)
            {
                Row(rows, 1 + (i % 3), 1 + ((i + 1) % 3), (short)(1 + (i / 3)), first.AddDays(1));
            }

            throw new InvalidOperationException("the compute behind the rows failed");
        }, TimeSpan.FromMinutes(1), new SwapSteps(), CancellationToken.None);

        Assert.That(async () => await failing, Throws.InvalidOperationException);
        Assert.That(await _db.ScalarAsync<long>("SELECT count(*) FROM user_similarities WHERE computed_at = '2026-01-01Z'"), Is.EqualTo(2));
        Assert.That(await _db.ScalarAsync<long>("SELECT count(*) FROM user_similarities"), Is.EqualTo(2), "nothing of the failed run is visible");
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT 1"), Is.EqualTo(1), "the connection is usable after the cancelled COPY");
    }

    private static void Row(BinaryCopyRows rows, int user, int similar, short rank, DateTimeOffset at)
    {
        rows.StartRow(6);
        rows.Int4(user);
        rows.Int4(similar);
        rows.Text("cosine"u8);
        rows.Float4(0.5f);
        rows.Int2(rank);
        rows.TimestampTz(at);
    }
}
