using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Tastebuds.Worker.Database;

/// <summary>
/// A private PostgreSQL cluster run from the machine's binaries: created once under a state folder, reused by
/// later starts, listening on 127.0.0.1 only, with a generated superuser password kept in a 0600 file.
/// As root, the server runs as an unprivileged account (PostgreSQL refuses to run as root).
/// </summary>
public sealed class EmbeddedPostgres : IAsyncDisposable
{
    public const string DatabaseName = "tastebuds";
    private const string SuperUser = "tastebuds";

    private readonly PostgresBinaries _binaries;
    private readonly string? _runAs;
    private readonly bool _stopOnDispose;
    private readonly ILogger _logger;
    private readonly string _password;

    private EmbeddedPostgres(
        string stateDirectory, PostgresBinaries binaries, string? runAs, int port, string password,
        bool startedHere, bool stopOnDispose, ILogger logger)
    {
        StateDirectory = stateDirectory;
        _binaries = binaries;
        _runAs = runAs;
        Port = port;
        _password = password;
        StartedHere = startedHere;
        _stopOnDispose = stopOnDispose && startedHere;
        _logger = logger;
    }

    /// <summary>The folder holding the cluster (<c>data/</c>), its password, port and server log.</summary>
    public string StateDirectory { get; }

    public string DataDirectory => Path.Combine(StateDirectory, "data");

    public int Port { get; }

    /// <summary>True when this process started the server; false when it found it already running.</summary>
    public bool StartedHere { get; }

    /// <summary>The connection string of the <c>tastebuds</c> database (holds the password: never log it).</summary>
    public string ConnectionString => Build(DatabaseName);

    /// <summary>Where the data lives, safe to print.</summary>
    public string Describe() => $"PostgreSQL on 127.0.0.1:{Port}, database '{DatabaseName}', data in {DataDirectory}";

    public static string DefaultStateDirectory()
    {
        if (Environment.IsPrivilegedProcess)
        {
            // root's home is closed to the unprivileged account that must own the cluster.
            return "/var/lib/tastebuds/postgres";
        }

        var dataHome = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        if (string.IsNullOrEmpty(dataHome))
        {
            dataHome = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        }

        return Path.Combine(dataHome, "tastebuds", "postgres");
    }

    /// <summary>Creates the cluster if needed, starts it unless it runs already, and makes sure the database exists.</summary>
    public static async Task<EmbeddedPostgres> StartAsync(
        EmbeddedPostgresOptions options, ILogger logger, CancellationToken ct,
        IReadOnlyDictionary<string, string>? serverSettings = null)
    {
        var binaries = PostgresBinaries.Find(options.BinDirectory);
        var state = Path.GetFullPath(string.IsNullOrWhiteSpace(options.DataDirectory) ? DefaultStateDirectory() : options.DataDirectory);
        var runAs = Environment.IsPrivilegedProcess ? options.RunAsUser : null;
        Directory.CreateDirectory(state);

        await using var gate = await StateLock.AcquireAsync(Path.Combine(state, ".lock"), options.StartTimeout, ct);
        var passwordFile = Path.Combine(state, "password");
        var portFile = Path.Combine(state, "port");
        var data = Path.Combine(state, "data");

        if (!File.Exists(Path.Combine(data, "PG_VERSION")))
        {
            var port = options.Port != 0 ? options.Port : FreePort();
            await InitializeAsync(binaries, state, data, passwordFile, runAs, port, serverSettings, logger, ct);
            await File.WriteAllTextAsync(portFile, port.ToString(System.Globalization.CultureInfo.InvariantCulture), ct);
        }

        var password = (await File.ReadAllTextAsync(passwordFile, ct)).Trim();
        var clusterPort = int.Parse((await File.ReadAllTextAsync(portFile, ct)).Trim(), System.Globalization.CultureInfo.InvariantCulture);

        var startedHere = false;
        var status = await ProcessRunner.RunAsync(binaries.PgCtl, ["status", "-D", data], runAs, state, ct);
        if (status.ExitCode != 0)
        {
            DatabaseLog.StartingEmbedded(logger, data, clusterPort);
            var seconds = ((int)options.StartTimeout.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var start = await ProcessRunner.RunAsync(
                binaries.PgCtl, ["start", "-D", data, "-l", Path.Combine(state, "server.log"), "-w", "-t", seconds], runAs, state, ct);
            if (start.ExitCode != 0)
            {
                var tail = await TailAsync(Path.Combine(state, "server.log"), ct);
                throw new EmbeddedPostgresException(
                    $"PostgreSQL in {data} did not start (pg_ctl exit {start.ExitCode}): {start.Output}\n{tail}");
            }

            startedHere = true;
        }
        else
        {
            DatabaseLog.ReusingEmbedded(logger, data, clusterPort);
        }

        var server = new EmbeddedPostgres(state, binaries, runAs, clusterPort, password, startedHere, !options.KeepRunning, logger);
        await server.EnsureDatabaseAsync(ct);
        return server;
    }

    /// <summary>Stops the server with a fast shutdown (active transactions roll back).</summary>
    public async Task StopAsync(CancellationToken ct = default)
    {
        // Pooled connections would outlive the server and fail on first use after a restart.
        NpgsqlConnection.ClearPool(new NpgsqlConnection(Build(DatabaseName)));
        NpgsqlConnection.ClearPool(new NpgsqlConnection(Build("postgres")));
        var stop = await ProcessRunner.RunAsync(_binaries.PgCtl, ["stop", "-D", DataDirectory, "-m", "fast", "-w"], _runAs, StateDirectory, ct);
        if (stop.ExitCode != 0)
        {
            DatabaseLog.EmbeddedStopFailed(_logger, DataDirectory, stop.Output);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopOnDispose)
        {
            await StopAsync();
        }
    }

    internal string Build(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = SuperUser,
        Password = _password,
        Database = database,
    }.ConnectionString;

    private async Task EnsureDatabaseAsync(CancellationToken ct)
    {
        // Not the registered data source: it is built from the connection string this start produces, and points at
        // the database created here; this is the maintenance database of a server that is only now up.
        await using var connection = new NpgsqlConnection(Build("postgres"));
        await connection.OpenAsync(ct);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection)
        {
            Parameters = { new() { Value = DatabaseName } },
        };
        if (await exists.ExecuteScalarAsync(ct) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE {DatabaseName}", connection);
            await create.ExecuteNonQueryAsync(ct);
        }
    }

    private static async Task InitializeAsync(
        PostgresBinaries binaries, string state, string data, string passwordFile, string? runAs, int port,
        IReadOnlyDictionary<string, string>? serverSettings, ILogger logger, CancellationToken ct)
    {
        DatabaseLog.CreatingEmbedded(logger, data);
        if (Directory.Exists(data))
        {
            // A half-made cluster from an interrupted first start: initdb wants an empty folder.
            Directory.Delete(data, recursive: true);
        }

        await File.WriteAllTextAsync(passwordFile, RandomNumberGenerator.GetHexString(32, lowercase: true), ct);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        if (runAs is not null)
        {
            await ProcessRunner.ChangeOwnerAsync(state, runAs, ct);
        }

        string[] common = ["-D", data, "-U", SuperUser, "--auth=scram-sha-256", "--pwfile", passwordFile, "-E", "UTF8"];
        var init = await ProcessRunner.RunAsync(binaries.InitDb, [.. common, "--locale=C.UTF-8"], runAs, state, ct);
        if (init.ExitCode != 0)
        {
            // Machines without the C.UTF-8 locale still get a working (byte-order collated) cluster.
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }

            init = await ProcessRunner.RunAsync(binaries.InitDb, [.. common, "--no-locale"], runAs, state, ct);
        }

        if (init.ExitCode != 0)
        {
            throw new EmbeddedPostgresException($"initdb failed for {data} (exit {init.ExitCode}): {init.Output}");
        }

        var settings = new Dictionary<string, string>
        {
            ["listen_addresses"] = "'127.0.0.1'",
            ["port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // TCP only: no socket folder to create or clean up, and none that other local users could reach.
            ["unix_socket_directories"] = "''",
            ["max_connections"] = "100",
            ["shared_buffers"] = "'128MB'",
        };
        foreach (var (key, value) in serverSettings ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        var lines = settings.Select(s => $"{s.Key} = {s.Value}");
        await File.AppendAllLinesAsync(Path.Combine(data, "postgresql.conf"), ["", "# Tastebuds embedded settings", .. lines], ct);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<string> TailAsync(string file, CancellationToken ct)
    {
        if (!File.Exists(file))
        {
            return string.Empty;
        }

        var lines = await File.ReadAllLinesAsync(file, ct);
        return string.Join('\n', lines.TakeLast(15));
    }
}
