using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Tastebuds.Tests.Support;

/// <summary>
/// A TCP forwarder on 127.0.0.1 in front of a real server, that a test can close (every connection cut, new ones
/// refused, as when PostgreSQL is stopped) and open again on the same port: an outage of one client's database
/// without stopping the server that other tests share.
/// </summary>
internal sealed class TcpGate : IAsyncDisposable
{
    private readonly IPEndPoint _target;
    private readonly ConcurrentDictionary<TcpClient, byte> _connections = new();
    private TcpListener? _listener;
    private CancellationTokenSource _open = new();

    private TcpGate(IPEndPoint target) => _target = target;

    public int Port { get; private set; }

    public bool IsOpen => _listener is not null;

    public static TcpGate Start(string host, int port)
    {
        var gate = new TcpGate(new IPEndPoint(IPAddress.Parse(host == "localhost" ? "127.0.0.1" : host), port));
        gate.Open();
        return gate;
    }

    /// <summary>A connection string that reaches the server through this gate.</summary>
    public string ConnectionStringFor(string connectionString) =>
        new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Host = "127.0.0.1", Port = Port }.ConnectionString;

    /// <summary>Accepts connections again, on the port it had.</summary>
    public void Open()
    {
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _open = new CancellationTokenSource();
        _ = AcceptAsync(_listener, _open.Token);
    }

    /// <summary>Cuts every connection and refuses new ones until <see cref="Open"/>.</summary>
    public void Close()
    {
        _open.Cancel();
        _listener?.Stop();
        _listener = null;
        foreach (var connection in _connections.Keys)
        {
            // A reset, as a server that died would leave; a pipe may have disposed it already.
            connection.Client?.Close(0);
            connection.Dispose();
        }

        _connections.Clear();
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(ct);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var server = new TcpClient();
            try
            {
                await server.ConnectAsync(_target, ct);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException)
            {
                client.Dispose();
                server.Dispose();
                continue;
            }

            _connections[client] = 0;
            _connections[server] = 0;
            _ = PipeAsync(client, server, ct);
            _ = PipeAsync(server, client, ct);
        }
    }

    private async Task PipeAsync(TcpClient from, TcpClient to, CancellationToken ct)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream(), ct);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException or SocketException)
        {
            // Cut by Close, or by either end.
        }
        finally
        {
            from.Dispose();
            to.Dispose();
            _connections.TryRemove(from, out _);
            _connections.TryRemove(to, out _);
        }
    }

    public ValueTask DisposeAsync()
    {
        Close();
        _open.Dispose();
        return ValueTask.CompletedTask;
    }
}
