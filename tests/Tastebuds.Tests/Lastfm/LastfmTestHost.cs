using Tastebuds.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tastebuds.Worker.Lastfm;

namespace Tastebuds.Tests.Lastfm;

/// <summary>The real registration (<see cref="LastfmRegistration"/>) pointed at a scripted server, with short delays (or a fake clock).</summary>
internal sealed class LastfmTestHost : IAsyncDisposable
{
    public const string Secret = "0123456789abcdef0123456789abcdef";

    private readonly ServiceProvider _services;

    public LastfmTestHost(Uri baseUrl, IDictionary<string, string?>? settings = null, TimeSpan? window = null, TimeProvider? time = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Lastfm:BaseUrl"] = baseUrl.ToString(),
            ["Lastfm:ApiKey"] = Secret,
            ["Lastfm:RequestTimeout"] = "00:00:02",
            ["Lastfm:RetryBaseDelay"] = "00:00:00.010",
            ["Lastfm:RetryMaxDelay"] = "00:00:00.050",
            ["RateLimiting:MaxRequestsPerMinute"] = "10000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(all).Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        if (time is not null)
        {
            // Before AddLastfm, which adds the system clock only if none is there; the resilience pipeline takes it too.
            services.AddSingleton(time);
        }

        services.AddLastfm(configuration);
        if (window is { } w)
        {
            services.Configure<RateLimitingOptions>(o => o.Window = w);
        }

        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public CapturingLoggerProvider Logs { get; } = new();

    public LastfmClient Client => _services.GetRequiredService<LastfmClient>();

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
