using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Tastebuds.Worker.Runs;
using static Tastebuds.Worker.Telemetry.TastebudsInstruments;

namespace Tastebuds.Worker.Telemetry;

/// <summary>
/// Owns the <c>Tastebuds</c> meter and its instruments (listed with units and tags in
/// <see cref="TastebudsInstruments.All"/> and docs/operations.md). Other code records through these
/// methods and never touches an instrument, so names, units and tag vocabularies stay in one place.
/// </summary>
public sealed partial class TastebudsMetrics
{
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastSuccess = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _health = new(StringComparer.Ordinal);
    private readonly Counter<long> _lastfmRequests;
    private readonly Histogram<double> _lastfmRequestDuration;
    private readonly Counter<long> _lastfmRetries;
    private readonly Histogram<double> _lastfmRateLimitWait;
    private readonly Counter<long> _usersFetched;
    private readonly Counter<long> _itemsStored;
    private readonly Counter<long> _jobRuns;
    private readonly Histogram<double> _jobDuration;
    private readonly Counter<long> _similarityPairs;
    private readonly Counter<long> _similarityNeighbours;
    private readonly Counter<long> _recommendationsWritten;
    private readonly Counter<long> _newUsersServed;

    public TastebudsMetrics(IMeterFactory meterFactory, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _time = time;
        // Owned by the factory: disposed with the container, and two hosts in one process keep theirs apart.
        var meter = meterFactory.Create(MeterName);
        _lastfmRequests = meter.CreateCounter<long>(LastfmRequests, Unit(LastfmRequests), Describe(LastfmRequests));
        _lastfmRequestDuration = meter.CreateHistogram<double>(LastfmRequestDuration, "s", Describe(LastfmRequestDuration),
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        _lastfmRetries = meter.CreateCounter<long>(LastfmRetries, Unit(LastfmRetries), Describe(LastfmRetries));
        _lastfmRateLimitWait = meter.CreateHistogram<double>(LastfmRateLimitWait, "s", Describe(LastfmRateLimitWait),
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.01, 0.1, 0.5, 1, 2, 5, 10, 30, 60] });
        _usersFetched = meter.CreateCounter<long>(UsersFetched, Unit(UsersFetched), Describe(UsersFetched));
        _itemsStored = meter.CreateCounter<long>(ItemsStored, Unit(ItemsStored), Describe(ItemsStored));
        _jobRuns = meter.CreateCounter<long>(JobRuns, Unit(JobRuns), Describe(JobRuns));
        _jobDuration = meter.CreateHistogram<double>(JobDuration, "s", Describe(JobDuration),
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1, 5, 15, 60, 300, 900, 1800, 3600, 7200, 21600] });
        _similarityPairs = meter.CreateCounter<long>(SimilarityPairs, Unit(SimilarityPairs), Describe(SimilarityPairs));
        _similarityNeighbours = meter.CreateCounter<long>(SimilarityNeighbours, Unit(SimilarityNeighbours), Describe(SimilarityNeighbours));
        _recommendationsWritten = meter.CreateCounter<long>(RecommendationsWritten, Unit(RecommendationsWritten), Describe(RecommendationsWritten));
        _newUsersServed = meter.CreateCounter<long>(NewUsersServed, Unit(NewUsersServed), Describe(NewUsersServed));
        meter.CreateObservableGauge(JobLastSuccessAge, ObserveLastSuccessAges, "s", Describe(JobLastSuccessAge));
        meter.CreateObservableGauge(HealthStatus, ObserveHealth, unit: null, Describe(HealthStatus));
    }

    /// <summary>One Last.fm attempt. <paramref name="outcome"/> is one of <see cref="TastebudsInstruments.Outcome"/>; <paramref name="errorCode"/> the body's error number, if any.</summary>
    public void RecordLastfmRequest(string method, string outcome, int? errorCode, TimeSpan duration)
    {
        var tags = new TagList { { "method", method }, { "outcome", outcome } };
        _lastfmRequestDuration.Record(duration.TotalSeconds, tags);
        tags.Add("error_code", errorCode is { } code ? code.ToString(CultureInfo.InvariantCulture) : "");
        _lastfmRequests.Add(1, tags);
    }

    public void RecordLastfmRetry(string method) => _lastfmRetries.Add(1, new KeyValuePair<string, object?>("method", method));

    public void RecordRateLimitWait(TimeSpan wait) => _lastfmRateLimitWait.Record(wait.TotalSeconds);

    /// <summary><paramref name="status"/>: succeeded, skipped, failed or cancelled (tagged as <see cref="RunNames"/> spells it).</summary>
    public void RecordUserFetched(StepStatus status) => _usersFetched.Add(1, new KeyValuePair<string, object?>("status", RunNames.ToSql(status)));

    /// <summary><paramref name="kind"/>: <c>track</c>, <c>album</c> or <c>artist</c>.</summary>
    public void RecordItemsStored(string kind, long count) => _itemsStored.Add(count, new KeyValuePair<string, object?>("kind", kind));

    /// <summary>
    /// A finished job run, tagged with the job type and status as <c>data_fetch_logs</c> spells them (<see cref="RunNames"/>).
    /// A succeeded run also resets the job's <c>last_success.age</c>.
    /// </summary>
    public void RecordJobRun(JobType job, StepStatus status, TimeSpan duration, DateTimeOffset finishedAt)
    {
        var tags = new TagList { { "job", RunNames.ToSql(job) }, { "status", RunNames.ToSql(status) } };
        _jobRuns.Add(1, tags);
        _jobDuration.Record(duration.TotalSeconds, tags);
        if (status == StepStatus.Succeeded)
        {
            RecordLastSuccess(job, finishedAt);
        }
    }

    /// <summary>Remembers a successful run (keeps the latest); used by <see cref="RecordJobRun"/> and the start-up seed.</summary>
    public void RecordLastSuccess(JobType job, DateTimeOffset finishedAt) =>
        _lastSuccess.AddOrUpdate(RunNames.ToSql(job), finishedAt, (_, known) => finishedAt > known ? finishedAt : known);

    public void RecordSimilarityPairs(long count) => _similarityPairs.Add(count);

    /// <summary><paramref name="metric"/>: <c>cosine</c>, <c>jaccard</c> or <c>pearson</c>.</summary>
    public void RecordSimilarityNeighbours(string metric, long count) =>
        _similarityNeighbours.Add(count, new KeyValuePair<string, object?>("metric", metric));

    /// <summary>One new user served (or failed) by the incremental step (its latency is in the serve_new_user row).</summary>
    public void RecordNewUserServed(StepStatus status) =>
        _newUsersServed.Add(1, new KeyValuePair<string, object?>("status", RunNames.ToSql(status)));

    public void RecordRecommendationsWritten(string metric, long count) =>
        _recommendationsWritten.Add(count, new KeyValuePair<string, object?>("metric", metric));

    /// <summary>The last periodic result of a health check (set by the health publisher, not by jobs).</summary>
    public void RecordHealth(string check, bool healthy) => _health[check] = healthy ? 1 : 0;

    private IEnumerable<Measurement<int>> ObserveHealth() =>
        _health.Select(h => new Measurement<int>(h.Value, new KeyValuePair<string, object?>("check", h.Key)));

    private IEnumerable<Measurement<double>> ObserveLastSuccessAges()
    {
        var now = _time.GetUtcNow();
        foreach (var (job, at) in _lastSuccess)
        {
            var age = Math.Max(0, (now - at).TotalSeconds);
            yield return new Measurement<double>(age, new KeyValuePair<string, object?>("job", job));
        }
    }

    private static string Unit(string name) => All.First(i => i.Name == name).Unit;

    private static string Describe(string name) => All.First(i => i.Name == name).Description;
}
