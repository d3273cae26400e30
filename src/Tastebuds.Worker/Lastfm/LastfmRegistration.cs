using System.Net.Http.Headers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;
using PollyTelemetryOptions = Polly.Telemetry.TelemetryOptions;
using Tastebuds.Worker.Configuration;
using Tastebuds.Worker.Telemetry;

namespace Tastebuds.Worker.Lastfm;

/// <summary>
/// Registers the Last.fm client. Handler chain of <see cref="LastfmClient"/>'s HttpClient, outer to inner:
/// <code>
/// resilience pipeline: retry → circuit breaker → rate limiter (process-wide) → attempt timeout
///   → LastfmResponseHandler (reads and classifies the body; throws LastfmTransientException etc.)
///     → primary handler
/// </code>
/// The default IHttpClientFactory loggers are removed: they log request URIs, which carry the API key.
/// </summary>
public static class LastfmRegistration
{
    public const string PipelineName = "lastfm";

    public static IHostApplicationBuilder AddLastfm(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddLastfm(builder.Configuration);
        return builder;
    }

    public static IServiceCollection AddLastfm(this IServiceCollection services, IConfiguration configuration)
    {
        // DataAnnotations and cross-field rules of the options classes, in the house format (Section:Key = value: rule).
        services.AddValidatedOptions<LastfmOptions>(configuration, LastfmOptions.SectionName);
        // The key is a secret from the moment it is read: redacted from every outside text (Last.fm may echo it).
        services.PostConfigure<LastfmOptions>(o => Secrets.Register(o.ApiKey));
        services.AddValidatedOptions<FetchLimitsOptions>(configuration, FetchLimitsOptions.SectionName);
        services.AddValidatedOptions<RateLimitingOptions>(configuration, RateLimitingOptions.SectionName);

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<TastebudsMetrics>();
        services.TryAddSingleton<LastfmRateLimiter>();
        services.TryAddTransient<LastfmResponseHandler>();

        // Handlers added first are outermost: the resilience handler wraps the response handler.
        var http = services.AddHttpClient<LastfmClient>(ConfigureHttpClient).RemoveAllLoggers()
            // Redirects are never followed: the request carries the API key, and a redirect may lead anywhere.
            // LastfmResponseHandler turns a 3xx into a clear failure of that request.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        http.AddResilienceHandler(PipelineName, ConfigurePipeline);
        http.AddHttpMessageHandler<LastfmResponseHandler>();
        return services;
    }

    private static void ConfigureHttpClient(IServiceProvider services, HttpClient client)
    {
        var options = services.GetRequiredService<IOptions<LastfmOptions>>().Value;
        client.BaseAddress = new Uri(options.BaseUrl.EndsWith('/') ? options.BaseUrl : options.BaseUrl + "/");
        client.DefaultRequestHeaders.UserAgent.Clear();
        client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", options.UserAgent);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        // Each attempt has its own timeout and waiting for a permit may take minutes: no overall timeout.
        client.Timeout = Timeout.InfiniteTimeSpan;
    }

    private static void ConfigurePipeline(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ResilienceHandlerContext context)
    {
        var services = context.ServiceProvider;
        var options = services.GetRequiredService<IOptions<LastfmOptions>>().Value;
        var limiter = services.GetRequiredService<LastfmRateLimiter>();
        var metrics = services.GetRequiredService<TastebudsMetrics>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(LastfmClient).FullName!);

        // Polly would log every retry twice more ("Execution attempt", "Resilience event occurred") beside our RetryScheduled
        // line, at Warning. This pipeline's telemetry keeps the host's options (the Polly meter and its enrichers) but no logger.
        pipeline.ConfigureTelemetry(new PollyTelemetryOptions(services.GetRequiredService<IOptions<PollyTelemetryOptions>>().Value)
        {
            LoggerFactory = NullLoggerFactory.Instance,
        });

        if (options.MaxRetries > 0)
        {
            pipeline.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
                DelayGenerator = args => ValueTask.FromResult(ServerDelay(args.Outcome, options.RetryMaxDelay)),
                OnRetry = args =>
                {
                    LastfmCallStats.RecordRetry();
                    metrics.RecordLastfmRetry(LastfmResponseHandler.MethodOf(args.Context.GetRequestMessage()));
                    LastfmLog.RetryScheduled(logger, args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds, Describe(args.Outcome));
                    return ValueTask.CompletedTask;
                },
            });
        }

        pipeline.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
        {
            FailureRatio = 0.5,
            MinimumThroughput = 10,
            SamplingDuration = TimeSpan.FromMinutes(1),
            BreakDuration = TimeSpan.FromSeconds(30),
            ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
            OnOpened = args =>
            {
                LastfmLog.CircuitOpened(logger, args.BreakDuration.TotalSeconds, Describe(args.Outcome));
                return ValueTask.CompletedTask;
            },
            OnClosed = _ =>
            {
                LastfmLog.CircuitClosed(logger);
                return ValueTask.CompletedTask;
            },
        });

        // Inside retry: every attempt takes a permit. Outside the attempt timeout: queueing is not an attempt.
        pipeline.AddRateLimiter(new Polly.RateLimiting.RateLimiterStrategyOptions
        {
            RateLimiter = args => limiter.AcquireAsync(args.Context.CancellationToken),
        });

        pipeline.AddTimeout(options.RequestTimeout);
    }

    // LastfmResponseHandler has classified the attempt already: it returns clean 2xx responses only and throws
    // LastfmTransientException for whatever is worth retrying (5xx, 429, 408, errors 8/11/16/29, cut-off bodies,
    // transport failures). TimeoutRejectedException is the attempt timeout's own, which happens outside any handler.
    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is LastfmTransientException or TimeoutRejectedException;

    // Retry-After (parsed by the handler) wins over the backoff, capped by RetryMaxDelay; null = exponential backoff.
    private static TimeSpan? ServerDelay(Outcome<HttpResponseMessage> outcome, TimeSpan cap) =>
        outcome.Exception is LastfmTransientException { RetryAfter: { } after } ? (after < cap ? after : cap) : null;

    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception?.Message ?? FormattableString.Invariant($"HTTP {(int?)outcome.Result?.StatusCode}");
}
