using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Console;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Quartz.Diagnostics;
using Tastebuds.Worker.Configuration;

namespace Tastebuds.Worker.Telemetry;

public static class TelemetryRegistration
{
    /// <summary>
    /// Metrics (the Tastebuds meter plus Npgsql, Polly, Quartz, HttpClient and runtime) exported to Prometheus on the
    /// operations listener and, when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, over OTLP together with traces;
    /// health checks (live, ready); the heartbeat; systemd notify. Registered before the database so the listener
    /// answers liveness while the migrations run.
    /// </summary>
    public static IHostApplicationBuilder AddTelemetry(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<TelemetryOptions>(TelemetryOptions.SectionName);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddMetrics();
        builder.Services.TryAddSingleton<TastebudsMetrics>();

        // READY=1 once started, STOPPING=1 on shutdown; a no-op when not run by systemd (no NOTIFY_SOCKET).
        builder.Services.AddSystemd();
        if (Console.IsErrorRedirected)
        {
            // Under systemd AddSystemd switches the console to its "<6>" text format; keep the JSON lines of
            // WorkerComposition.AddLogging (journald stores them as they are, log shippers parse them).
            builder.Services.Configure<ConsoleLoggerOptions>(o => o.FormatterName = ConsoleFormatterNames.Json);
        }

        var otlp = builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        var exportOtlp = !string.IsNullOrWhiteSpace(otlp);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r
                .AddService("tastebuds", serviceVersion: typeof(TelemetryRegistration).Assembly.GetName().Version?.ToString())
                // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win over the defaults above.
                .AddEnvironmentVariableDetector())
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(TastebudsInstruments.MeterName, "Polly", QuartzInstrumentation.MeterName, "System.Net.Http", "System.Net.NameResolution")
                    .AddNpgsqlInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddPrometheusExporter();
                if (exportOtlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        if (exportOtlp)
        {
            // Without an exporter nobody reads spans: no tracer provider, so StartActivity stays free (returns null).
            telemetry.WithTracing(tracing => tracing
                .AddSource(TastebudsActivity.SourceName, QuartzInstrumentation.ActivitySourceName)
                .AddNpgsql()
                .AddHttpClientInstrumentation()
                .AddOtlpExporter());
        }

        builder.Services.AddSingleton<Heartbeat>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Heartbeat>());
        builder.Services.AddHealthChecks()
            .AddCheck<HeartbeatHealthCheck>("heartbeat", tags: [HealthEndpoint.LiveTag])
            .AddCheck<DatabaseHealthCheck>("database", tags: [HealthEndpoint.ReadyTag])
            .AddCheck<MigrationHealthCheck>("migrations", tags: [HealthEndpoint.ReadyTag])
            .AddCheck<SchedulerHealthCheck>("scheduler", tags: [HealthEndpoint.ReadyTag]);

        // Runs every check periodically too, so that health is a metric (tastebuds.health.status) for alerts.
        builder.Services.Configure<HealthCheckPublisherOptions>(o =>
        {
            o.Delay = TimeSpan.FromSeconds(5);
            o.Period = TimeSpan.FromSeconds(15);
        });
        builder.Services.AddSingleton<IHealthCheckPublisher, HealthMetricsPublisher>();

        builder.Services.AddHostedService<MetricsPreregistration>();
        builder.Services.AddSingleton<TelemetryListener>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TelemetryListener>());
        builder.Services.AddHostedService<LastSuccessSeeder>();
        return builder;
    }
}
