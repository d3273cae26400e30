using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Tastebuds.Tests.Lastfm;

/// <summary>One canned answer: status, body, headers, and how to misbehave.</summary>
public sealed record Reply(int Status, string Body, TimeSpan Delay = default, bool CutOff = false, int? RetryAfterSeconds = null)
{
    public static Reply Json(string body) => new(200, body);

    public static Reply Error(int code, string message, int status = 200) =>
        new(status, $$"""{"message":"{{message}}","error":{{code}}}""");

    public static Reply Http(int status, string body = "<html>Service Unavailable</html>") => new(status, body);
}

/// <summary>
/// A real HTTP server on 127.0.0.1 (Kestrel, random port) answering request n with script(n),
/// n counted from 1. Records what it received, so tests can count requests and read queries.
/// </summary>
internal sealed class ScriptedLastfmServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Func<int, Reply> _script;
    private readonly ConcurrentQueue<Received> _received = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _count;

    private ScriptedLastfmServer(Func<int, Reply> script)
    {
        _script = script;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(HandleAsync);
    }

    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyList<Received> Requests => [.. _received.OrderBy(r => r.Number)];

    public int Count => Volatile.Read(ref _count);

    public static async Task<ScriptedLastfmServer> StartAsync(Func<int, Reply> script)
    {
        var server = new ScriptedLastfmServer(script);
        await server._app.StartAsync();
        var address = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.BaseUrl = new Uri(address + "/2.0/");
        return server;
    }

    public static Task<ScriptedLastfmServer> StartAsync(params Reply[] replies) =>
        StartAsync(n => replies[Math.Min(n, replies.Length) - 1]);

    private async Task HandleAsync(HttpContext context)
    {
        var number = Interlocked.Increment(ref _count);
        _received.Enqueue(new Received(number, context.Request.Path + context.Request.QueryString.Value,
            context.Request.Headers.UserAgent.ToString(), _clock.Elapsed));
        var reply = _script(number);
        if (reply.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(reply.Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        var bytes = Encoding.UTF8.GetBytes(reply.Body);
        context.Response.StatusCode = reply.Status;
        context.Response.ContentType = "application/json; charset=UTF-8";
        if (reply.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        context.Response.ContentLength = bytes.Length;
        if (reply.CutOff)
        {
            // Promise the whole body, send half, drop the connection: "response ended prematurely".
            await context.Response.Body.WriteAsync(bytes.AsMemory(0, bytes.Length / 2));
            await context.Response.Body.FlushAsync();
            context.Abort();
            return;
        }

        await context.Response.Body.WriteAsync(bytes);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    internal sealed record Received(int Number, string PathAndQuery, string UserAgent, TimeSpan At)
    {
        public string? Query(string name) => Microsoft.AspNetCore.WebUtilities.QueryHelpers
            .ParseQuery(new Uri("http://x" + PathAndQuery).Query).TryGetValue(name, out var v) ? v.ToString() : null;
    }
}
