using Tastebuds.Worker.Runs;
using Tastebuds.Worker.Telemetry;

namespace Tastebuds.Tests.Runs;

/// <summary>The stored spellings are a contract with the schema's CHECK constraints and with dashboards: they must not drift.</summary>
public sealed class RunNamesTests
{
    [Test]
    public void Job_types_are_spelled_as_the_schema_and_the_metric_tags_spell_them()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(RunNames.ToSql(JobType.FetchUsers), Is.EqualTo("fetch_users"));
            Assert.That(RunNames.ToSql(JobType.FetchUser), Is.EqualTo("fetch_user"));
            Assert.That(RunNames.ToSql(JobType.RecalculateSimilarities),
                Is.EqualTo("recalculate_similarities"));
            Assert.That(RunNames.ToSql(JobType.GenerateRecommendations),
                Is.EqualTo("generate_recommendations"));
        }
    }

    [Test]
    public void Statuses_are_spelled_as_the_schema_spells_them()
    {
        Assert.That(Enum.GetValues<StepStatus>().Select(RunNames.ToSql),
            Is.EqualTo(new[] { "running", "succeeded", "unchanged", "partial", "failed", "skipped", "cancelled", "abandoned" }));
    }

    [Test]
    public void Every_job_type_parses_back_and_an_unknown_one_does_not()
    {
        using (Assert.EnterMultipleScope())
        {
            foreach (var job in Enum.GetValues<JobType>())
            {
                Assert.That(RunNames.TryParse(RunNames.ToSql(job), out var parsed) ? parsed : (JobType?)null, Is.EqualTo(job));
            }

            Assert.That(RunNames.TryParse("mine_bitcoin", out _), Is.False);
            Assert.That(RunNames.TryParse(null, out _), Is.False);
        }
    }

    [Test]
    public void A_value_outside_the_enums_is_refused_rather_than_stored()
    {
        Assert.That(() => RunNames.ToSql((StepStatus)99), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
