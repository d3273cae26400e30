using Tastebuds.Worker.Fetching;

namespace Tastebuds.Tests.Fetching;

/// <summary>Which users are checked and which are fetched in full, and whether their tags are fetched.</summary>
public sealed class FetchPlanTests
{
    private static readonly UserFetchState Known = new(7, 1234, 12, NeverFullyFetched: false, FullFetchDue: false, TagsDue: false, LastFailed: false);

    [Test]
    public void A_known_user_with_nothing_due_is_checked_against_what_the_last_full_fetch_stored()
    {
        var plan = UserFetchState.Plan(Known, tagsPerUser: 5);

        Assert.That(plan, Is.EqualTo(new FetchPlan { StoredPlaycount = 1234, StoredLovedTotal = 12 }));
    }

    [TestCase(null, 5, "never_fetched", true)]
    [TestCase(null, 0, "never_fetched", false)]
    [TestCase("never", 5, "never_fetched", true)]
    [TestCase("failed", 5, "last_failed", false)]
    [TestCase("failed+tags", 5, "last_failed", true)]
    [TestCase("refresh", 5, "refresh_due", false)]
    [TestCase("refresh+tags", 5, "refresh_due", true)]
    [TestCase("tags", 5, "tags_due", true)]
    public void A_user_is_fetched_in_full_for_the_first_reason_that_applies_and_tags_only_when_due(string? what, int tagsPerUser, string reason, bool tags)
    {
        var state = what switch
        {
            null => null,
            "never" => Known with { NeverFullyFetched = true },
            "failed" => Known with { LastFailed = true, FullFetchDue = true },
            "failed+tags" => Known with { LastFailed = true, TagsDue = true },
            "refresh" => Known with { FullFetchDue = true },
            "refresh+tags" => Known with { FullFetchDue = true, TagsDue = true },
            _ => Known with { TagsDue = true },
        };

        var plan = UserFetchState.Plan(state, tagsPerUser);

        Assert.That((plan.FullReason, plan.FetchTags), Is.EqualTo((reason, tags)));
    }

    [Test]
    public void Tags_that_are_due_force_nothing_when_no_tags_are_fetched_at_all()
    {
        var plan = UserFetchState.Plan(Known with { TagsDue = true }, tagsPerUser: 0);

        Assert.That((plan.FullReason, plan.FetchTags), Is.EqualTo(((string?)null, false)));
    }
}
