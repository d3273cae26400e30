using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Tastebuds.Worker.Configuration;

namespace Tastebuds.Worker.Fetching;

public static class FetchingRegistration
{
    public static IHostApplicationBuilder AddFetching(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<FetchingOptions>(FetchingOptions.SectionName);
        builder.Services.AddSingleton<FetchUserDirectory>();
        builder.Services.AddSingleton<FetchStateStore>();
        builder.Services.AddTransient<UserFetcher>();
        builder.Services.AddSingleton<SnapshotStore>();
        builder.Services.AddSingleton<FetchLock>();
        builder.Services.AddTransient<UserFetchStep>();
        builder.Services.AddTransient<FetchRunner>();
        return builder;
    }
}
