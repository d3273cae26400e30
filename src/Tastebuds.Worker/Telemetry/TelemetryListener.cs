using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace Tastebuds.Worker.Telemetry;

/// <summary>
/// The operations listener: a minimal Kestrel server (no MVC, no static files, no default logging) hosted
/// inside the worker's generic host, serving <c>/metrics</c> (Prometheus text, from the worker's own
/// MeterProvider), <c>/health/live</c> and <c>/health/ready</c>. It starts before the migrations so that
/// liveness answers while a long migration or lock wait runs.
/// </summary>
public sealed class TelemetryListener(
    IServiceProvider services, IOptions<TelemetryOptions> options, ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<TelemetryListener>();
    private WebApplication? _app;

    /// <summary>The port actually bound (the configured one, or the ephemeral one when configured 0); 0 before start.</summary>
    public int Port { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            TelemetryLog.ListenerDisabled(_logger);
            return;
        }

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Parse(settings.BindAddress), settings.Port);
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 0;
            k.Limits.MaxConcurrentConnections = 64;
        });
        builder.Services.AddRoutingCore();
        // The worker's logging, not a second set of providers.
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));

        var app = builder.Build();
        var health = services.GetRequiredService<HealthCheckService>();
        app.UseRouting();
        app.MapPrometheusScrapingEndpoint("/metrics", services.GetRequiredService<MeterProvider>(), null, null);
        app.MapGet("/health/live", context => HealthEndpoint.WriteAsync(context, health, HealthEndpoint.LiveTag));
        app.MapGet("/health/ready", context => HealthEndpoint.WriteAsync(context, health, HealthEndpoint.ReadyTag));

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            await app.DisposeAsync();
            throw new InvalidOperationException(
                $"The telemetry listener cannot listen on {settings.BindAddress}:{settings.Port} ({e.Message}); " +
                "set Telemetry:Port (0 = any free port) or Telemetry:Enabled=false.", e);
        }

        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Port = new Uri(address).Port;
        TelemetryLog.Listening(_logger, settings.BindAddress, Port);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
            _app = null;
        }
    }
}
