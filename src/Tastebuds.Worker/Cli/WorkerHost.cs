using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Tastebuds.Worker.Database;

namespace Tastebuds.Worker.Cli;

/// <summary>Builds the host the daemon and the verbs share, and prepares it: configuration validated, database reachable.</summary>
public static class WorkerHost
{
    public static HostApplicationBuilder CreateBuilder(IEnumerable<KeyValuePair<string, string?>>? overrides = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            // appsettings.json sits beside the binary (copied from the repository root at build).
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        Configuration.LogLevelSettings.Validate(builder.Configuration);
        builder.AddTastebuds();
        return builder;
    }

    /// <summary>Every setting validated (a bad one fails the same way in every verb), then the database resolved or started.</summary>
    public static async Task PrepareAsync(IHost host, CancellationToken ct)
    {
        ValidateConfiguration(host.Services);
        await host.Services.GetRequiredService<DatabaseEndpoint>().EnsureAsync(ct);
    }

    public static void ValidateConfiguration(IServiceProvider services) =>
        services.GetRequiredService<IStartupValidator>().Validate();
}
