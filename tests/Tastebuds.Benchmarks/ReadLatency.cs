using System.Diagnostics;
using Npgsql;

namespace Tastebuds.Benchmarks;

/// <summary>
/// <c>get_collaborative_recommendations(user, 10)</c> from several clients at once, each on its own connection, for
/// random users, until told to stop; round-trip latencies in milliseconds of the calls that succeeded, and the calls that
/// failed counted by SQLSTATE (a failed call is not timed; the client goes on, reconnecting if its connection broke).
/// </summary>
internal static class ReadLatency
{
    public sealed record Result(List<double> Latencies, IReadOnlyDictionary<string, int> Errors)
    {
        public int ErrorCount => Errors.Values.Sum();

        public string DescribeErrors() => Errors.Count == 0
            ? "no error"
            : string.Join(", ", Errors.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Value:N0} × {e.Key}"));
    }

    public static async Task<Result> MeasureAsync(string connectionString, int users, int clients, CancellationToken stop)
    {
        var latencies = new List<double>[clients];
        var errors = new Dictionary<string, int>[clients];
        var tasks = Enumerable.Range(0, clients).Select(async c =>
        {
            var own = latencies[c] = [];
            var failed = errors[c] = [];
            var random = new Random(c);
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await ReadUntilStoppedAsync(connectionString, users, random, own, failed, stop);
                }
                catch (NpgsqlException e)
                {
                    // The connection broke (or could not be opened): counted, then a new one.
                    Count(failed, e);
                }
            }
        }).ToArray();
        await Task.WhenAll(tasks);
        var all = new Dictionary<string, int>();
        foreach (var (key, value) in errors.SelectMany(e => e))
        {
            all[key] = all.GetValueOrDefault(key) + value;
        }

        return new Result(latencies.SelectMany(l => l).ToList(), all);
    }

    private static async Task ReadUntilStoppedAsync(string connectionString, int users, Random random, List<double> own,
        Dictionary<string, int> failed, CancellationToken stop)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(CancellationToken.None);
        await using var command = new NpgsqlCommand("SELECT * FROM get_collaborative_recommendations($1, 10)", connection)
        {
            Parameters = { new() { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text } },
        };
        await command.PrepareAsync(CancellationToken.None);
        while (!stop.IsCancellationRequested)
        {
            command.Parameters[0].Value = $"user{1 + random.Next(users)}";
            var clock = Stopwatch.StartNew();
            try
            {
                await using (var reader = await command.ExecuteReaderAsync(CancellationToken.None))
                {
                    while (await reader.ReadAsync(CancellationToken.None))
                    {
                    }
                }

                own.Add(clock.Elapsed.TotalMilliseconds);
            }
            catch (PostgresException e)
            {
                // A failed call (a deadlock, a lock timeout, a cancelled statement): counted; the session goes on.
                Count(failed, e);
            }
        }
    }

    private static void Count(Dictionary<string, int> failed, NpgsqlException e)
    {
        var key = e is PostgresException p ? p.SqlState : e.GetType().Name;
        failed[key] = failed.GetValueOrDefault(key) + 1;
    }

    public static double Percentile(IReadOnlyCollection<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(p * sorted.Count))];
    }
}
