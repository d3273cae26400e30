using System.Diagnostics;
using Tastebuds.Worker.Runs;
using static Tastebuds.Worker.Telemetry.DocumentedTags;

namespace Tastebuds.Worker.Telemetry;

public sealed partial class TastebudsMetrics
{
    /// <summary>
    /// Puts every counter on the scrape at 0 for each documented tag combination, and every health check at 0 (not
    /// passed yet) until its first periodic run. Called once the MeterProvider listens: a measurement nobody listens
    /// to is dropped. Histograms are left alone, since a 0 would count as an observation; open tags (the Last.fm
    /// <c>method</c>) are left out rather than invented.
    /// </summary>
    public void Preregister()
    {
        foreach (var outcome in LastfmOutcomes)
        {
            _lastfmRequests.Add(0, new TagList { { "outcome", outcome }, { "error_code", "" } });
        }

        _lastfmRetries.Add(0);
        Touch(_usersFetched, "status", UserStatuses);
        Touch(_itemsStored, "kind", ItemKinds);
        foreach (var job in RunJobs)
        {
            foreach (var status in RunStatuses.Where(s => s != StepStatus.Partial || job == JobType.FetchUsers))
            {
                _jobRuns.Add(0, new TagList { { "job", RunNames.ToSql(job) }, { "status", RunNames.ToSql(status) } });
            }
        }

        _similarityPairs.Add(0);
        Touch(_similarityNeighbours, "metric", SimilarityMetrics);
        Touch(_recommendationsWritten, "metric", RecommendationMetrics);
        Touch(_newUsersServed, "status", NewUserStatuses);
        foreach (var check in HealthChecks)
        {
            _health.TryAdd(check, 0);
        }
    }

    private static void Touch(System.Diagnostics.Metrics.Counter<long> counter, string tag, IReadOnlyList<string> values)
    {
        foreach (var value in values)
        {
            counter.Add(0, new KeyValuePair<string, object?>(tag, value));
        }
    }
}
