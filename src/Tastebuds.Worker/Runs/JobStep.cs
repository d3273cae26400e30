using System.Diagnostics;
using Tastebuds.Worker.Telemetry;

namespace Tastebuds.Worker.Runs;

/// <summary>
/// One job step from start to verdict: its <c>data_fetch_logs</c> row (inserted <c>running</c> at start,
/// completed on dispose) and its job-run metrics. A step disposed without a verdict ends <c>failed</c>.
/// <code>
/// await using var step = await JobStep.StartAsync(logs, telemetry, time, JobType.X, ct);
/// try { ...; step.Succeed(new LogCompletion(StepStatus.Succeeded) { ... }); }
/// catch (OperationCanceledException) when (ct.IsCancellationRequested) { step.Cancel("why"); throw; }
/// catch (Exception e) { step.Fail(e.Message); throw; }
/// </code>
/// </summary>
public sealed class JobStep : IAsyncDisposable
{
    private readonly RunLog _logs;
    private readonly TastebudsMetrics _telemetry;
    private readonly TimeProvider _time;
    private readonly long _logId;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private LogCompletion _completion = new(StepStatus.Failed);

    private JobStep(RunLog logs, TastebudsMetrics telemetry, TimeProvider time, JobType jobType, Guid runId, long logId)
    {
        _logs = logs;
        _telemetry = telemetry;
        _time = time;
        JobType = jobType;
        RunId = runId;
        _logId = logId;
    }

    public JobType JobType { get; }

    public Guid RunId { get; }

    public TimeSpan Elapsed => _clock.Elapsed;

    public static async Task<JobStep> StartAsync(RunLog logs, TastebudsMetrics telemetry, TimeProvider time, JobType jobType, CancellationToken ct)
    {
        var runId = Guid.NewGuid();
        var logId = await logs.StartAsync(runId, jobType, null, ct);
        return new JobStep(logs, telemetry, time, jobType, runId, logId);
    }

    public void Succeed(LogCompletion completion) => _completion = completion with { Status = StepStatus.Succeeded };

    /// <summary>Ends with the status the completion carries (for steps whose verdict is computed, like a fetch run).</summary>
    public void End(LogCompletion completion) => _completion = completion;

    public void Cancel(string message) => _completion = _completion with { Status = StepStatus.Cancelled, ErrorMessage = message };

    public void Fail(string message) => _completion = _completion with { Status = StepStatus.Failed, ErrorMessage = message };

    /// <summary>Adds details to whatever the verdict is (e.g. what was known before a failure).</summary>
    public void Describe(IReadOnlyDictionary<string, object?> details) => _completion = _completion with { Details = details };

    public async ValueTask DisposeAsync()
    {
        _telemetry.RecordJobRun(JobType, _completion.Status, _clock.Elapsed, _time.GetUtcNow());
        await _logs.TryCompleteAsync(_logId, _completion);
    }
}
