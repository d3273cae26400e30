using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Tastebuds.Worker.Database;

namespace Tastebuds.Benchmarks;

/// <summary>
/// <c>get_collaborative_recommendations(user, 10)</c> from several clients at once, each on its own connection, for
/// random users, until told to stop; round-trip latencies in milliseconds of the calls that succeeded, and the calls that
/// failed counted by SQLSTATE (a failed call is not timed; the client goes on, reconnecting if its connection broke).
/// </summary>
internal static class ReadLatency
{
    /// <summary>A call that succeeded: when it started (UTC) and how long it took.</summary>
    public readonly record struct Call(DateTime Started, double Milliseconds);

    public sealed record Result(List<Call> Calls, IReadOnlyDictionary<string, int> Errors)
    {
        public List<double> Latencies { get; } = [.. Calls.Select(c => c.Milliseconds)];

        /// <summary>The latencies of the calls that were under way at some moment from <paramref name="from"/> to <paramref name="to"/>.</summary>
        public List<double> Overlapping(DateTime from, DateTime to) =>
            [.. Calls.Where(c => c.Started < to && c.Started.AddMilliseconds(c.Milliseconds) > from).Select(c => c.Milliseconds)];

        /// <summary>CPU time of the clients' backends over the measurement (/proc/PID/schedstat), in seconds; 0 if unknown.</summary>
        public double BackendCpuSeconds { get; init; }

        /// <summary>Time the clients' backends spent runnable but waiting for a core (/proc/PID/schedstat), in seconds.</summary>
        public double BackendRunQueueSeconds { get; init; }

        public int ErrorCount => Errors.Values.Sum();

        public string DescribeErrors() => Errors.Count == 0
            ? "no error"
            : string.Join(", ", Errors.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Value:N0} × {e.Key}"));
    }

    /// <summary>How the clients run: <see cref="Async"/> = one task per client on the thread pool, awaited calls, each
    /// client on a connection of its own (the default, as before branch read-fast); <see cref="Threads"/> = the same with
    /// one dedicated thread per client and synchronous calls; <see cref="Pooled"/> = async clients sharing one pool of
    /// fewer connections, as an application's request handlers do. Side by side on a loaded machine the threads used more
    /// harness CPU a call (0.27–0.37 ms against 0.15–0.24) and gave a longer tail, so the default stayed; a pool of 3
    /// connections on 2 cores shortened the idle p99 from 11–14 ms to 5–7 ms (docs/benchmarks.md).</summary>
    public enum Harness
    {
        Threads,
        Async,
        Pooled,
    }

    public static async Task<Result> MeasureAsync(string connectionString, int users, int clients, CancellationToken stop,
        string function = "get_collaborative_recommendations", Harness harness = Harness.Async, int pool = 0)
    {
        if (harness == Harness.Pooled)
        {
            return await MeasurePooledAsync(connectionString, users, clients, pool > 0 ? pool : DefaultPool, function, stop);
        }

        var latencies = new List<Call>[clients];
        var errors = new Dictionary<string, int>[clients];
        var cpu = new (double Cpu, double Waiting)[clients];
        var names = Names(users);
        Task Run(int c)
        {
            var own = latencies[c] = new List<Call>(1 << 16);
            var failed = errors[c] = [];
            var random = new Random(c);
            if (harness == Harness.Async)
            {
                return Task.Run(async () =>
                {
                    while (!stop.IsCancellationRequested)
                    {
                        try
                        {
                            cpu[c] = Add(cpu[c], await ReadUntilStoppedAsync(connectionString, function, names, random, own, failed, stop));
                        }
                        catch (NpgsqlException e)
                        {
                            // The connection broke (or could not be opened): counted, then a new one.
                            Count(failed, e);
                        }
                    }
                });
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var thread = new Thread(() =>
            {
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        cpu[c] = Add(cpu[c], ReadUntilStopped(connectionString, function, names, random, own, failed, stop));
                    }
                    catch (NpgsqlException e)
                    {
                        Count(failed, e);
                    }
                }

                done.SetResult();
            }) { IsBackground = true, Name = $"reader {c}" };
            thread.Start();
            return done.Task;
        }

        await Task.WhenAll(Enumerable.Range(0, clients).Select(Run).ToArray());
        return new Result(latencies.SelectMany(l => l).ToList(), Merge(errors))
        {
            BackendCpuSeconds = cpu.Sum(c => c.Cpu), BackendRunQueueSeconds = cpu.Sum(c => c.Waiting),
        };
    }

    /// <summary>The pooled harness's connections unless told: the server's cores (this machine's: the server is local) + 1.</summary>
    public static int DefaultPool => Environment.ProcessorCount + 1;

    /// <summary>The usernames made once, so that a call allocates no string of its own.</summary>
    private static string[] Names(int users) => [.. Enumerable.Range(1, users).Select(u => $"user{u}")];

    /// <summary>The clients' failed calls, counted by SQLSTATE (or exception type) over all clients.</summary>
    private static Dictionary<string, int> Merge(Dictionary<string, int>[] errors)
    {
        var all = new Dictionary<string, int>();
        foreach (var (key, value) in errors.SelectMany(e => e))
        {
            all[key] = all.GetValueOrDefault(key) + value;
        }

        return all;
    }

    /// <summary>
    /// The clients as an application's request handlers: each call takes a connection from one shared pool of
    /// <paramref name="pool"/> connections (Npgsql's; a call waits there while all are taken), runs the auto-prepared
    /// call and gives the connection back; a call's latency includes its wait for a connection.
    /// </summary>
    private static async Task<Result> MeasurePooledAsync(string connectionString, int users, int clients, int pool, string function,
        CancellationToken stop)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            MaxPoolSize = pool, MinPoolSize = pool, MaxAutoPrepare = 4, AutoPrepareMinUsages = 1, Timeout = 60, NoResetOnClose = true,
        };
        await using var source = NpgsqlDataSource.Create(builder.ConnectionString);
        var sql = $"SELECT * FROM {function}($1, 10)";
        // The pool's connections opened at once, and their backends' schedules read before and after.
        var held = new List<NpgsqlConnection>();
        for (var i = 0; i < pool; i++)
        {
            held.Add(await source.OpenConnectionAsync(CancellationToken.None));
        }

        var backends = held.Select(h => h.ProcessID).ToArray();
        foreach (var connection in held)
        {
            await connection.DisposeAsync();
        }

        var before = backends.Select(Schedule).Aggregate((0.0, 0.0), Add);
        var names = Names(users);
        var latencies = new List<Call>[clients];
        var errors = new Dictionary<string, int>[clients];
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var own = latencies[c] = new List<Call>(1 << 16);
            var failed = errors[c] = [];
            var random = new Random(c);
            while (!stop.IsCancellationRequested)
            {
                var name = names[random.Next(names.Length)];
                var started = TimeProvider.System.GetUtcNow().UtcDateTime;
                var clock = Stopwatch.StartNew();
                try
                {
                    await using var connection = await source.OpenConnectionAsync(CancellationToken.None);
                    await using var command = new NpgsqlCommand(sql, connection)
                    {
                        Parameters = { new() { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text, Value = name } },
                    };
                    await using (var reader = await command.ExecuteReaderAsync(CancellationToken.None))
                    {
                        while (await reader.ReadAsync(CancellationToken.None))
                        {
                        }
                    }

                    own.Add(new Call(started, clock.Elapsed.TotalMilliseconds));
                }
                catch (NpgsqlException e)
                {
                    Count(failed, e);
                }
            }
        })).ToArray());
        var ended = backends.Select(Schedule).Aggregate((0.0, 0.0), Add);
        return new Result(latencies.SelectMany(l => l).ToList(), Merge(errors))
        {
            BackendCpuSeconds = ended.Item1 - before.Item1, BackendRunQueueSeconds = ended.Item2 - before.Item2,
        };
    }

    /// <summary>Calls until stopped on one connection, synchronously on the calling thread; the CPU its backend used.</summary>
    private static (double Cpu, double Waiting) ReadUntilStopped(string connectionString, string function, string[] names, Random random,
        List<Call> own, Dictionary<string, int> failed, CancellationToken stop)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        var backend = connection.ProcessID;
        using var command = new NpgsqlCommand($"SELECT * FROM {function}($1, 10)", connection)
        {
            Parameters = { new() { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text } },
        };
        command.Prepare();
        var before = Schedule(backend);
        while (!stop.IsCancellationRequested)
        {
            command.Parameters[0].Value = names[random.Next(names.Length)];
            var started = TimeProvider.System.GetUtcNow().UtcDateTime;
            var clock = Stopwatch.GetTimestamp();
            try
            {
                using (var reader = command.ExecuteReader())
                {
                    while (reader.Read())
                    {
                    }
                }

                own.Add(new Call(started, Stopwatch.GetElapsedTime(clock).TotalMilliseconds));
            }
            catch (PostgresException e)
            {
                Count(failed, e);
            }
        }

        var ended = Schedule(backend);
        return (ended.Cpu - before.Cpu, ended.Waiting - before.Waiting);
    }

    /// <summary>Calls until stopped on one connection; the CPU its backend used meanwhile, in seconds (0 off this machine).</summary>
    private static async Task<(double Cpu, double Waiting)> ReadUntilStoppedAsync(string connectionString, string function, string[] names, Random random,
        List<Call> own, Dictionary<string, int> failed, CancellationToken stop)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(CancellationToken.None);
        var backend = connection.ProcessID;
        await using var command = new NpgsqlCommand($"SELECT * FROM {function}($1, 10)", connection)
        {
            Parameters = { new() { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text } },
        };
        await command.PrepareAsync(CancellationToken.None);
        var before = Schedule(backend);
        while (!stop.IsCancellationRequested)
        {
            command.Parameters[0].Value = names[random.Next(names.Length)];
            var started = TimeProvider.System.GetUtcNow().UtcDateTime;
            var clock = Stopwatch.StartNew();
            try
            {
                await using (var reader = await command.ExecuteReaderAsync(CancellationToken.None))
                {
                    while (await reader.ReadAsync(CancellationToken.None))
                    {
                    }
                }

                own.Add(new Call(started, clock.Elapsed.TotalMilliseconds));
            }
            catch (PostgresException e)
            {
                // A failed call (a deadlock, a lock timeout, a cancelled statement): counted; the session goes on.
                Count(failed, e);
            }
        }

        var ended = Schedule(backend);
        return (ended.Cpu - before.Cpu, ended.Waiting - before.Waiting);
    }

    private static (double Cpu, double Waiting) Add((double Cpu, double Waiting) a, (double Cpu, double Waiting) b) =>
        (a.Cpu + b.Cpu, a.Waiting + b.Waiting);

    /// <summary>
    /// A local process's time on a core and time runnable but waiting for one, in seconds (/proc/PID/schedstat: ns on the
    /// cpu, ns waiting on a run queue, time slices); zeros when the process is not on this machine.
    /// </summary>
    private static (double Cpu, double Waiting) Schedule(int pid)
    {
        try
        {
            var fields = File.ReadAllText($"/proc/{pid}/schedstat").Split(' ');
            return (long.Parse(fields[0], CultureInfo.InvariantCulture) / 1e9, long.Parse(fields[1], CultureInfo.InvariantCulture) / 1e9);
        }
        catch (IOException)
        {
            return (0, 0);
        }
    }

    /// <summary>
    /// `read --keep DIR [--users N] [--clients C] [--seconds S] [--rounds R] [--functions F1,F2] [--harness threads,async,pooled]
    /// [--pool P] [--swap]`: the read function on the kept `scale` cluster in DIR, each function (and harness) in turn for
    /// S seconds per round (side by side), then with --swap once more during a recommendations run and its swap. --pool:
    /// the pooled harness's connections (the cores + 1 by default). Per measurement: calls, p50 / p99 / max, backend CPU a
    /// call (the clients' backends), the harness's own CPU a call and GC (collections, pause), and the load average.
    /// </summary>
    public static async Task RunAsync(string[] args)
    {
        string? Option(string name) => Array.IndexOf(args, name) is var at and >= 0 ? args[at + 1] : null;
        var kept = Option("--keep") ?? throw new ArgumentException("read needs --keep DIR (a cluster `scale N --keep DIR` left)");
        var users = int.Parse(Option("--users") ?? "10000", CultureInfo.InvariantCulture);
        var clients = int.Parse(Option("--clients") ?? "8", CultureInfo.InvariantCulture);
        var seconds = double.Parse(Option("--seconds") ?? "10", CultureInfo.InvariantCulture);
        var rounds = int.Parse(Option("--rounds") ?? "1", CultureInfo.InvariantCulture);
        var functions = (Option("--functions") ?? "get_collaborative_recommendations").Split(',', StringSplitOptions.TrimEntries);
        var harnesses = (Option("--harness") ?? "async").Split(',', StringSplitOptions.TrimEntries)
            .Select(h => Enum.Parse<Harness>(h, ignoreCase: true)).ToArray();
        var pool = Option("--pool") is { } p ? int.Parse(p, CultureInfo.InvariantCulture) : DefaultPool;
        await using var server = await EmbeddedPostgres.StartAsync(
            new EmbeddedPostgresOptions { DataDirectory = Path.GetFullPath(kept), KeepRunning = true }, NullLogger.Instance, CancellationToken.None);
        var connectionString = ScaleMeasurement.ScaleDatabase(server.ConnectionString);
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var function in functions)
            {
                foreach (var harness in harnesses)
                {
                    using var idle = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
                    Report($"round {round}, {function}, {harness} harness{(harness == Harness.Pooled ? $" ({pool} connections)" : "")}, idle",
                        await MeasureWithHarnessAsync(connectionString, users, clients, function, harness, pool, idle.Token));
                }
            }
        }

        if (args.Contains("--swap"))
        {
            using var during = new CancellationTokenSource();
            var reading = MeasureWithHarnessAsync(connectionString, users, clients, functions[0], harnesses[0], pool, during.Token);
            await StageProcess.RunAsync("recommendations", connectionString);
            await during.CancelAsync();
            var measured = await reading;
            Report($"{functions[0]}, during a recommendations run and its swap", measured);
            var (from, to) = await LastWriteAndSwapAsync(connectionString);
            var window = measured.Result.Overlapping(from, to);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  of which under way during its write and swap ({(to - from).TotalSeconds:0.0} s): {Summary(window)}"));
        }
    }

    private sealed record Measured(Result Result, int Clients, TimeSpan Wall, TimeSpan ClientCpu, int Collections, TimeSpan GcPause, string Load);

    private static async Task<Measured> MeasureWithHarnessAsync(string connectionString, int users, int clients, string function, Harness harness,
        int pool, CancellationToken stop)
    {
        var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        var collections = GC.CollectionCount(0);
        var pause = GC.GetTotalPauseDuration();
        var wall = Stopwatch.StartNew();
        var result = await MeasureAsync(connectionString, users, clients, stop, function, harness, pool);
        self.Refresh();
        return new Measured(result, clients, wall.Elapsed, self.TotalProcessorTime - cpu, GC.CollectionCount(0) - collections,
            GC.GetTotalPauseDuration() - pause, File.ReadAllText("/proc/loadavg").Split(' ')[0]);
    }

    private static void Report(string what, Measured m)
    {
        var latencies = m.Result.Latencies;
        var calls = Math.Max(1, latencies.Count);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}, {m.Clients} clients: {latencies.Count:N0} calls in {m.Wall.TotalSeconds:0.0} s ({latencies.Count / m.Wall.TotalSeconds:N0}/s), p50 {Percentile(latencies, 0.5):0.00} ms, p90 {Percentile(latencies, 0.9):0.00} ms, p99 {Percentile(latencies, 0.99):0.00} ms, max {(latencies.Count == 0 ? double.NaN : latencies.Max()):0.0} ms; backend CPU {m.Result.BackendCpuSeconds * 1000 / calls:0.000} ms a call and {m.Result.BackendRunQueueSeconds * 1000 / calls:0.000} ms runnable waiting for a core, harness CPU {m.ClientCpu.TotalMilliseconds / calls:0.000} ms a call, {m.Collections} gen0 GCs, GC pause {m.GcPause.TotalMilliseconds:0} ms; load {m.Load}; {m.Result.DescribeErrors()}"));
    }

    /// <summary>
    /// The last recommendations run's write and swap: from the end of its scoring to its end (its
    /// <c>data_fetch_logs</c> row: <c>finished_at</c> − <c>details->>'write_ms'</c> to <c>finished_at</c>); the keys, foreign
    /// keys and statistics of the new generation, its attach and the old one's drop. The server's clock is this machine's.
    /// </summary>
    public static async Task<(DateTime From, DateTime To)> LastWriteAndSwapAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT finished_at - make_interval(secs => (details->>'write_ms')::double precision / 1000), finished_at
            FROM data_fetch_logs WHERE job_type = 'generate_recommendations' AND status = 'succeeded'
            ORDER BY started_at DESC LIMIT 1
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? (reader.GetFieldValue<DateTime>(0), reader.GetFieldValue<DateTime>(1))
            : throw new InvalidOperationException("no succeeded recommendations run in data_fetch_logs");
    }

    private static void Count(Dictionary<string, int> failed, NpgsqlException e)
    {
        var key = e is PostgresException p ? p.SqlState : e.GetType().Name;
        failed[key] = failed.GetValueOrDefault(key) + 1;
    }

    /// <summary>"N calls, p50 … ms, p99 … ms, max … ms" of these latencies.</summary>
    public static string Summary(IReadOnlyCollection<double> latencies) => string.Create(CultureInfo.InvariantCulture,
        $"{latencies.Count:N0} calls, p50 {Percentile(latencies, 0.5):0.00} ms, p99 {Percentile(latencies, 0.99):0.00} ms, max {(latencies.Count == 0 ? double.NaN : latencies.Max()):0.0} ms");

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
