using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Tastebuds.Worker.Configuration;

namespace Tastebuds.Worker.Hosting;

public static class HostingRegistration
{
    /// <summary>Graceful shutdown: the host waits for the grace period plus a margin for the log rows to be completed.</summary>
    public static IHostApplicationBuilder AddGracefulShutdown(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<ShutdownOptions>(ShutdownOptions.SectionName);
        // Read here, not bound: a value of the wrong type keeps the default and is reported by the validation.
        var grace = SectionBinding.Read<ShutdownOptions>(builder.Configuration, ShutdownOptions.SectionName).GracePeriod;
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = grace + TimeSpan.FromSeconds(15));
        builder.Services.AddSingleton<ShutdownSignal>();
        return builder;
    }
}
