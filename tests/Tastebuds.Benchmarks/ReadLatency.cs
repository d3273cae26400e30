using System.Diagnostics;
using Npgsql;

namespace Tastebuds.Benchmarks;

/// <summary>
/// <c>get_collaborative_recommendations(user, 10)</c> from several clients at once, each on its own connection, for
/// random users, until told to stop; round-trip latencies in milliseconds.
/// </summary>
internal static class ReadLatency
{
    public static async Task<List<double>> MeasureAsync(string connectionString, int users, int clients, CancellationToken stop)
    {
        var latencies = new List<double>[clients];
        var tasks = Enumerable.Range(0, clients).Select(async c =>
        {
            var own = latencies[c] = [];
            var random = new Random(c);
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
                await using (var reader = await command.ExecuteReaderAsync(CancellationToken.None))
                {
                    while (await reader.ReadAsync(CancellationToken.None))
                    {
                    }
                }

                own.Add(clock.Elapsed.TotalMilliseconds);
            }
        }).ToArray();
        await Task.WhenAll(tasks);
        return latencies.SelectMany(l => l).ToList();
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
