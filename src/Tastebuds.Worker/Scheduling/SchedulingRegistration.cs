using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quartz;
using Tastebuds.Worker.Configuration;

namespace Tastebuds.Worker.Scheduling;

public static class SchedulingRegistration
{
    /// <summary>Quartz in the generic host; it starts only once the host has started (after migrations).</summary>
    public static IHostApplicationBuilder AddScheduling(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<SchedulesOptions>(SchedulesOptions.SectionName);
        builder.Services.AddQuartz("tastebuds", _ => { });
        builder.Services.AddQuartzHostedService(o =>
        {
            o.AwaitApplicationStarted = true;
            o.WaitForJobsToComplete = true;
        });
        return builder;
    }
}
