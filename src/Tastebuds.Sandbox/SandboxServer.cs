using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Tastebuds.Sandbox.Api;
using Tastebuds.Sandbox.Faults;
using Tastebuds.Sandbox.Logging;
using Tastebuds.Sandbox.World;

namespace Tastebuds.Sandbox;

/// <summary>
/// An offline Last.fm API 2.0 on 127.0.0.1 (Kestrel, minimal API), serving <see cref="World"/> with Last.fm's
/// JSON, quirks and errors, a per-key request budget and seeded fault injection. Dispose to stop it.
/// </summary>
public sealed class SandboxServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly WorldHolder _world;
    private readonly SandboxOptions _options;

    private SandboxServer(WebApplication app, WorldHolder world, SandboxOptions options, SandboxRequestLog log, Uri baseUrl)
    {
        _app = app;
        _world = world;
        _options = options;
        RequestLog = log;
        BaseUrl = baseUrl;
    }

    /// <summary>The API root, e.g. <c>http://127.0.0.1:8090/2.0/</c> (always ends in <c>/2.0/</c>).</summary>
    public Uri BaseUrl { get; }

    /// <summary>The data served now (a new world after <see cref="AdvanceWeeks"/>).</summary>
    public SandboxWorld World => _world.Current;

    /// <summary>Every request handled, for counting requests and measuring the request rate.</summary>
    public SandboxRequestLog RequestLog { get; }

    /// <summary>Builds (or loads) the world and starts listening on loopback.</summary>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public static async Task<SandboxServer> StartAsync(SandboxOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid sandbox options: " + string.Join(" ", errors), nameof(options));
        }

        var world = new WorldHolder(options.World
            ?? (options.HetRecPath is { } path
                ? SandboxWorld.LoadHetRec(path, options.Seed, options.MissingUsernames)
                : SandboxWorld.Generate(options.Users, options.Seed, options.PrivateUserFraction, options.MissingUsernames)));
        if (options.AdvanceWeeks > 0)
        {
            world.Advance(options.AdvanceWeeks, options.ChangedFraction, options.NewUserFraction);
        }

        // The empty builder reads no appsettings or environment and adds no logging: quiet by default,
        // and unaffected by whatever host it runs inside.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, options.Port);
        });
        builder.Services.AddRoutingCore();
        var app = builder.Build();

        var log = new SandboxRequestLog();
        var endpoint = new LastfmEndpoint(
            world, options, new RequestBudget(options.MaxRequestsPerWindow, options.BudgetWindow, options.TimeProvider),
            new FaultPlan(options, world.Current.Seed), log);
        app.MapGet("/2.0/", (RequestDelegate)endpoint.HandleAsync); // also matches "/2.0"
        app.MapPost("/admin/advance", (RequestDelegate)new AdminEndpoint(world).AdvanceAsync);

        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SandboxServer(app, world, options, log, new Uri(address.TrimEnd('/') + "/2.0/"));
    }

    /// <summary>
    /// Advances the served world <paramref name="weeks"/> weeks (<see cref="SandboxWorld.AdvanceWeeks"/>, with the
    /// options' shares unless given) and returns it; requests from then on see the new week. Also reachable over
    /// HTTP: <c>POST /admin/advance?weeks=N&amp;changed=F&amp;new=F</c>.
    /// </summary>
    public SandboxWorld AdvanceWeeks(int weeks, double? changedFraction = null, double? newUserFraction = null) =>
        _world.Advance(weeks, changedFraction ?? _options.ChangedFraction, newUserFraction ?? _options.NewUserFraction);

    /// <summary>Stops listening and releases the server.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
