using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Tastebuds.Worker.NewUsers;

public static class NewUsersRegistration
{
    /// <summary>The incremental step for new users and the queries that find them (the job is in Scheduling).</summary>
    public static IHostApplicationBuilder AddNewUsers(this IHostApplicationBuilder builder)
    {
        builder.Services.AddTransient<PendingNewUsers>();
        builder.Services.AddTransient<NewUserServer>();
        return builder;
    }
}
