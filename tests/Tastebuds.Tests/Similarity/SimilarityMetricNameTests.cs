using Tastebuds.Core;
using Tastebuds.Worker.Similarity;

namespace Tastebuds.Tests.Similarity;

/// <summary>Stored metric names: every metric has its own, and nothing is stored under another metric's name.</summary>
public sealed class SimilarityMetricNameTests
{
    [Test]
    public void Every_metric_round_trips_through_its_stored_name()
    {
        Assert.That(Enum.GetValues<SimilarityMetric>().Select(m => MetricNames.Parse(MetricNames.Of(m))), Is.EqualTo(Enum.GetValues<SimilarityMetric>()));
    }

    [Test]
    public void A_value_outside_the_enum_is_refused_rather_than_stored_as_pearson()
    {
        Assert.That(() => MetricNames.Of((SimilarityMetric)7), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
