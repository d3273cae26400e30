using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Tastebuds.Tests.Support;

/// <summary>
/// A real Prometheus started from its binary on a temporary data folder and a loopback port, with the configuration
/// a test gives it; queried through its HTTP API. Disposing kills it and deletes the folder.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;
    private readonly StringBuilder _log = new();

    private PrometheusServer(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public HttpClient Http { get; }

    /// <summary>What Prometheus logged so far (it logs to stderr), for failure messages.</summary>
    public string Log { get { lock (_log) { return _log.ToString(); } } }

    /// <summary>Writes <paramref name="configYaml"/> as its configuration file and starts it; returns once /-/ready answers 200.</summary>
    public static async Task<PrometheusServer> StartAsync(string configYaml)
    {
        var binary = PrometheusBinaries.RequirePrometheus();
        var folder = Path.Combine(Path.GetTempPath(), $"tastebuds-prometheus-{Environment.ProcessId}-{Guid.NewGuid():N}"[..46]);
        Directory.CreateDirectory(folder);
        var config = Path.Combine(folder, "prometheus.yml");
        await File.WriteAllTextAsync(config, configYaml);
        var port = FreeLoopbackPort();
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
        };
        foreach (var argument in new[]
                 {
                     $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(folder, "data")}",
                     $"--web.listen-address=127.0.0.1:{port}", "--storage.tsdb.retention.time=1h",
                 })
        {
            start.ArgumentList.Add(argument);
        }

        var server = new PrometheusServer(Process.Start(start)!, folder, port);
        await Eventually.WaitUntilAsync(async () =>
        {
            Assert.That(server._process.HasExited, Is.False, () => $"prometheus exited at start:\n{server.Log}");
            try
            {
                using var ready = await server.Http.GetAsync(new Uri("-/ready", UriKind.Relative));
                return ready.StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(30), () => $"prometheus ready on 127.0.0.1:{port}; its log:\n{server.Log}");
        return server;
    }

    /// <summary>An instant query at the current time (<c>/api/v1/query</c>): the whole answer, errors included (HTTP 400/422).</summary>
    public async Task<PrometheusAnswer> QueryAsync(string promql)
    {
        using var content = new FormUrlEncodedContent([new KeyValuePair<string, string>("query", promql)]);
        using var response = await Http.PostAsync(new Uri("api/v1/query", UriKind.Relative), content);
        return PrometheusAnswer.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>A GET on the API (<c>api/v1/rules</c>, <c>api/v1/label/x/values</c>, ...).</summary>
    public async Task<PrometheusAnswer> GetAsync(string pathAndQuery) =>
        PrometheusAnswer.Parse(await Http.GetStringAsync(new Uri(pathAndQuery, UriKind.Relative)));

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // The TSDB may still be closing a file; the temporary folder is left behind, not a failure.
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }
}

/// <summary>An answer of the Prometheus HTTP API: <c>status</c>, then <c>data</c> or <c>errorType</c> and <c>error</c>.</summary>
public sealed record PrometheusAnswer(bool Success, string? Error, JsonElement Data)
{
    /// <summary>The series of a vector result (an instant query's <c>data.result</c>), each as its labels and value.</summary>
    public IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, string Value)> Series =>
        Data.ValueKind == JsonValueKind.Object && Data.GetProperty("resultType").GetString() is "vector" or "matrix"
            ? Data.GetProperty("result").EnumerateArray().Select(s => (
                (IReadOnlyDictionary<string, string>)s.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
                s.TryGetProperty("value", out var v) ? v[1].GetString()! : "range")).ToList()
            : [];

    public static PrometheusAnswer Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var success = root.GetProperty("status").GetString() == "success";
        return new PrometheusAnswer(
            success,
            success ? null : $"{root.GetProperty("errorType").GetString()}: {root.GetProperty("error").GetString()}",
            root.TryGetProperty("data", out var data) ? data.Clone() : default);
    }
}
