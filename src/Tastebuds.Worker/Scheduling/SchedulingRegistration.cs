using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Quartz;
using Tastebuds.Worker.Configuration;
using Tastebuds.Worker.Fetching;

namespace Tastebuds.Worker.Scheduling;

public static class SchedulingRegistration
{
    /// <summary>The scheduler's name: <c>sched_name</c> of every <c>qrtz_</c> row when clustered.</summary>
    public const string SchedulerName = "tastebuds";

    /// <summary>
    /// Quartz in the generic host with one cron trigger per job. It starts only once the host has started, so
    /// after migrations. Misfires (the worker was down when a trigger was due) fire once at start, then the
    /// schedule proceeds. <c>Scheduler:Clustered</c> moves the schedule into PostgreSQL, shared by every replica.
    /// </summary>
    public static IHostApplicationBuilder AddScheduling(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<SchedulesOptions>(SchedulesOptions.SectionName);
        builder.AddValidatedOptions<SchedulerOptions>(SchedulerOptions.SectionName);
        // Read here, not bound: a value of the wrong type keeps the default and is reported by the validation.
        var schedules = SectionBinding.Read<SchedulesOptions>(builder.Configuration, SchedulesOptions.SectionName);
        var scheduler = SectionBinding.Read<SchedulerOptions>(builder.Configuration, SchedulerOptions.SectionName);
        builder.Services.AddSingleton<AbandonedRuns>();

        builder.Services.AddQuartz(SchedulerName, q =>
        {
            if (scheduler.Clustered)
            {
                UseClusteredStore(q, scheduler);
            }
            else
            {
                q.UseInMemoryStore(s => s.MisfireThreshold = scheduler.MisfireThreshold);
            }

            AddCronJob<FetchUsersJob>(q, FetchUsersJob.Key, schedules.FetchUsers, schedules.TimeZone);
            AddCronJob<StageJob>(q, StageJobs.RecalculateSimilarities, schedules.RecalculateSimilarities, schedules.TimeZone);
            AddCronJob<StageJob>(q, StageJobs.GenerateRecommendations, schedules.GenerateRecommendations, schedules.TimeZone);
            AddCronJob<FetchNewUsersJob>(q, FetchNewUsersJob.Key, schedules.NewUsers, schedules.TimeZone);
        });
        builder.Services.AddQuartzHostedService(o =>
        {
            o.AwaitApplicationStarted = true;
            o.WaitForJobsToComplete = true;
        });
        return builder;
    }

    /// <summary>
    /// Quartz's clustered ADO store on the worker's own database: connections from the worker's
    /// <see cref="NpgsqlDataSource"/> (resolved when the scheduler is built, after the endpoint is known, so the
    /// embedded PostgreSQL works too), tables from our migration 0003 (validated, never created by Quartz), job
    /// data as System.Text.Json, and the node's instance id equal to its <c>data_fetch_logs.instance_id</c> (<see cref="Hosting.ProcessInstance.Id"/>).
    /// </summary>
    private static void UseClusteredStore(IQuartzBuilder q, SchedulerOptions scheduler)
    {
        q.ConfigureScheduler(s => s.InstanceId = Hosting.ProcessInstance.Id);
        q.UsePersistentStore(store =>
        {
            store.UsePostgres(ds => ds.DataSourceFactory = sp => sp.GetRequiredService<NpgsqlDataSource>());
            store.UseSystemTextJsonSerializer();
            store.UseClustering(c =>
            {
                c.CheckinInterval = scheduler.CheckinInterval;
                c.CheckinMisfireThreshold = scheduler.CheckinMisfireThreshold;
            });
            store.ConfigureStore(s =>
            {
                s.TablePrefix = "qrtz_";
                s.SchemaProvisioning = SchemaProvisioning.Validate;
                s.MisfireThreshold = scheduler.MisfireThreshold;
            });
        });

        // Every replica declares the same jobs and triggers at start and replaces the stored ones (so a changed
        // cron setting takes effect); the replacement keeps the old trigger's last fire time, so a restart
        // neither re-fires a schedule that already ran nor forgets one that misfired while the cluster was down.
        q.ConfigureOptions<QuartzOptions>(o => o.Scheduling.ScheduleTriggerRelativeToReplacedTrigger = true);

        // A node that dies leaves log rows 'running'; whoever runs the next job marks them abandoned.
        q.AddJobListener<AbandonedRunsListener>();
    }

    private static void AddCronJob<TJob>(IQuartzBuilder q, JobKey key, string cron, string timeZone)
        where TJob : IJob
    {
        // RequestRecovery: when the node running the job dies, another node runs it again (clustered store only).
        q.AddJob<TJob>(j => j.WithIdentity(key).StoreDurably().RequestRecovery(true));
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
