namespace Tastebuds.Worker.Telemetry;

/// <summary>What an instrument is, as an operator sees it: the source of docs/operations.md and of the Prometheus names.</summary>
/// <param name="Name">OpenTelemetry name, lowercase and dotted.</param>
/// <param name="Kind">counter, histogram or gauge.</param>
/// <param name="Unit">UCUM unit; <c>{thing}</c> annotations are dropped by the Prometheus exporter, <c>s</c> becomes <c>_seconds</c>.</param>
/// <param name="Tags">Tag keys the instrument is recorded with.</param>
public sealed record InstrumentDescriptor(string Name, string Kind, string Unit, string Description, IReadOnlyList<string> Tags)
{
    /// <summary>
    /// The name the OpenTelemetry Prometheus exporter gives it (default translation strategy): dots to
    /// underscores, <c>_seconds</c> for unit <c>s</c>, <c>_total</c> for counters. Histograms add
    /// <c>_bucket</c>, <c>_sum</c> and <c>_count</c> to this base name.
    /// </summary>
    public string PrometheusName
    {
        get
        {
            var name = Name.Replace('.', '_');
            if (Unit == "s")
            {
                name += "_seconds";
            }

            return Kind == TastebudsInstruments.Counter ? name + "_total" : name;
        }
    }

    /// <summary>Every series name the exporter writes for this instrument.</summary>
    public IReadOnlyList<string> PrometheusSeries => Kind == TastebudsInstruments.Histogram
        ? [PrometheusName + "_bucket", PrometheusName + "_sum", PrometheusName + "_count"]
        : [PrometheusName];
}

/// <summary>The names of the <c>Tastebuds</c> meter's instruments and of their tag values.</summary>
public static class TastebudsInstruments
{
    public const string MeterName = "Tastebuds";
    public const string Counter = "counter";
    public const string Histogram = "histogram";
    public const string Gauge = "gauge";

    public const string LastfmRequests = "tastebuds.lastfm.requests";
    public const string LastfmRequestDuration = "tastebuds.lastfm.request.duration";
    public const string LastfmRetries = "tastebuds.lastfm.retries";
    public const string LastfmRateLimitWait = "tastebuds.lastfm.rate_limit.wait";
    public const string UsersFetched = "tastebuds.users.fetched";
    public const string ItemsStored = "tastebuds.items.stored";
    public const string JobRuns = "tastebuds.job.runs";
    public const string JobDuration = "tastebuds.job.duration";
    public const string JobLastSuccessAge = "tastebuds.job.last_success.age";
    public const string SimilarityPairs = "tastebuds.similarity.pairs";
    public const string SimilarityNeighbours = "tastebuds.similarity.neighbours";
    public const string RecommendationsWritten = "tastebuds.recommendations.written";
    public const string HealthStatus = "tastebuds.health.status";
    public const string NewUsersServed = "tastebuds.new_users.served";

    public static IReadOnlyList<InstrumentDescriptor> All { get; } =
    [
        new(LastfmRequests, Counter, "{request}",
            "Last.fm HTTP attempts (each retry is one), by API method and outcome", ["method", "outcome", "error_code"]),
        new(LastfmRequestDuration, Histogram, "s", "Duration of one Last.fm attempt, body read included", ["method", "outcome"]),
        new(LastfmRetries, Counter, "{retry}", "Last.fm attempts scheduled as a retry of a failed one", ["method"]),
        new(LastfmRateLimitWait, Histogram, "s", "Time an attempt queued for a permit of the client-side rate limiter", []),
        new(UsersFetched, Counter, "{user}", "Users whose fetch finished, by status", ["status"]),
        new(ItemsStored, Counter, "{item}", "Catalog items (tracks, albums, artists) stored by fetches", ["kind"]),
        new(JobRuns, Counter, "{run}", "Finished job runs, by job and status", ["job", "status"]),
        new(JobDuration, Histogram, "s", "Duration of a job run, by job and status", ["job", "status"]),
        new(JobLastSuccessAge, Gauge, "s",
            "Seconds since the last successful run of each job (seeded from data_fetch_logs at start)", ["job"]),
        new(SimilarityPairs, Counter, "{pair}", "User pairs compared by the similarity recalculation", []),
        new(SimilarityNeighbours, Counter, "{neighbour}", "Neighbour rows written by the similarity recalculation", ["metric"]),
        new(RecommendationsWritten, Counter, "{recommendation}", "Recommendation rows written", ["metric"]),
        new(NewUsersServed, Counter, "{user}",
            "New users given neighbours and recommendations by the incremental step, by status", ["status"]),
        new(HealthStatus, Gauge, "",
            "1 when the health check passed at its last periodic run (every 15 s), 0 when not", ["check"]),
    ];

    /// <summary>Values of the <c>outcome</c> tag of the Last.fm instruments.</summary>
    public static class Outcome
    {
        public const string Success = "success";

        /// <summary>A Last.fm error that is not retried (e.g. 6 user not found, 10 invalid key).</summary>
        public const string Error = "error";

        /// <summary>A failure that is retried: error 8/11/16/29, HTTP 5xx/429, transport failure, malformed body.</summary>
        public const string Transient = "transient";

        /// <summary>The attempt timed out (or was cancelled while in flight).</summary>
        public const string Timeout = "timeout";
    }
}
