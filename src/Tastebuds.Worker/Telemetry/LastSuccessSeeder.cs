using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Tastebuds.Worker.Database;
using Tastebuds.Worker.Runs;

namespace Tastebuds.Worker.Telemetry;

/// <summary>
/// Once the migrations are applied, reads when each job last succeeded from <c>data_fetch_logs</c>, so that
/// <c>tastebuds.job.last_success.age</c> is right from the first scrape after a restart, not only after the next run.
/// A failure is logged and not fatal: the gauge then starts with the next successful run.
/// </summary>
internal sealed class LastSuccessSeeder(
    IServiceProvider services, MigrationState migrations, TastebudsMetrics metrics, ILogger<LastSuccessSeeder> logger) : BackgroundService
{
    private const string Sql = """
        SELECT job_type AS Job, max(finished_at) AS FinishedAt
        FROM data_fetch_logs
        WHERE status = @succeeded AND finished_at IS NOT NULL
        GROUP BY job_type
        """;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await migrations.WaitAsync(stoppingToken);
            var dataSource = services.GetRequiredService<NpgsqlDataSource>();
            await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
            var rows = (await connection.QueryAsync<LastSuccessRow>(new CommandDefinition(Sql, new { succeeded = RunNames.ToSql(StepStatus.Succeeded) }, cancellationToken: stoppingToken))).ToList();
            foreach (var row in rows)
            {
                // A job type this build does not know (written by a newer version) gets no gauge here.
                if (RunNames.TryParse(row.Job, out var job))
                {
                    metrics.RecordLastSuccess(job, new DateTimeOffset(DateTime.SpecifyKind(row.FinishedAt, DateTimeKind.Utc)));
                }
            }

            TelemetryLog.SeededLastSuccess(logger, rows.Count);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping before the migrations finished.
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            TelemetryLog.SeedFailed(logger, e.Message);
        }
    }

    // timestamptz arrives as a UTC DateTime.
    private sealed record LastSuccessRow(string Job, DateTime FinishedAt);
}
