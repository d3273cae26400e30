using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Tastebuds.Worker.Fetching;

public static class FetchingRegistration
{
    public static IHostApplicationBuilder AddFetching(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<FetchUserDirectory>();
        builder.Services.AddTransient<UserFetcher>();
        builder.Services.AddSingleton<SnapshotStore>();
        builder.Services.AddSingleton<FetchLock>();
        builder.Services.AddTransient<UserFetchStep>();
        builder.Services.AddTransient<FetchRunner>();
        return builder;
    }
}
