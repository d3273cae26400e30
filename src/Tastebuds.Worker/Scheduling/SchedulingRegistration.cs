using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quartz;
using Tastebuds.Worker.Configuration;

namespace Tastebuds.Worker.Scheduling;

public static class SchedulingRegistration
{
    /// <summary>
    /// Quartz in the generic host with one cron trigger per job. It starts only once the host has started, so
    /// after migrations. Misfires (the worker was down when a trigger was due) fire once at start, then the
    /// schedule proceeds.
    /// </summary>
    public static IHostApplicationBuilder AddScheduling(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<SchedulesOptions>(SchedulesOptions.SectionName);
        JobChain.Link(FetchUsersJob.Key, RecalculateSimilaritiesJob.Key);
        JobChain.Link(RecalculateSimilaritiesJob.Key, GenerateRecommendationsJob.Key);
        var schedules = builder.Configuration.GetSection(SchedulesOptions.SectionName).Get<SchedulesOptions>() ?? new SchedulesOptions();

        builder.Services.AddQuartz("tastebuds", q =>
        {
            AddCronJob<FetchUsersJob>(q, FetchUsersJob.Key, schedules.FetchUsers, schedules.TimeZone);
            AddCronJob<RecalculateSimilaritiesJob>(q, RecalculateSimilaritiesJob.Key, schedules.RecalculateSimilarities, schedules.TimeZone);
            AddCronJob<GenerateRecommendationsJob>(q, GenerateRecommendationsJob.Key, schedules.GenerateRecommendations, schedules.TimeZone);
        });
        builder.Services.AddQuartzHostedService(o =>
        {
            o.AwaitApplicationStarted = true;
            o.WaitForJobsToComplete = true;
        });
        return builder;
    }

    private static void AddCronJob<TJob>(IQuartzBuilder q, JobKey key, string cron, string timeZone)
        where TJob : IJob
    {
        q.AddJob<TJob>(j => j.WithIdentity(key).StoreDurably());
        if (!CronExpression.TryParse(cron, out _) || !TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone))
        {
            // Invalid settings are reported by SchedulesOptions' validation before the scheduler starts.
            return;
        }

        q.AddTrigger(t => t
            .ForJob(key)
            .WithIdentity($"{key.Name}-cron", key.Group)
            .WithCronSchedule(cron, c => c.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)));
    }
}
