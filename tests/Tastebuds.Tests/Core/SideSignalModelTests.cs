using Tastebuds.Core;
using Tastebuds.Core.Models;

namespace Tastebuds.Tests.Core;

public class SideSignalModelTests
{
    // Users 10, 20, 30; artists 1, 2, 3 (dense 0, 1, 2); raw weights.
    private static InteractionMatrix Matrix() => Fixture.Matrix(Fixture.Raw,
        Fixture.Artists(10, (1, 1)),
        Fixture.Artists(20, (1, 3), (2, 4)),
        Fixture.Artists(30, (3, 2)));

    [Test]
    public void Side_signals_map_ids_make_friendships_symmetric_and_drop_what_the_matrix_does_not_know()
    {
        var side = SideSignals.Create(Matrix(), ItemKind.Artist,
            [new TagRow(10, 1, 500), new TagRow(10, 1, 500), new TagRow(20, 2, 600), new TagRow(99, 1, 500), new TagRow(10, 77, 500)],
            [new FriendRow(10, 20), new FriendRow(30, 99), new FriendRow(30, 30)]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(side.Tags, Is.EqualTo(new[] { new TagAssignment(0, 0, 0), new TagAssignment(1, 1, 1) }));
            Assert.That(side.TagCount, Is.EqualTo(2));
            Assert.That(side.FriendsOf(0), Is.EqualTo(new[] { 1 }));
            Assert.That(side.FriendsOf(1), Is.EqualTo(new[] { 0 }));
            Assert.That(side.FriendsOf(2), Is.Empty, "unknown friend and self-friendship dropped");
        }
    }

    [Test]
    public void A_friendship_listed_from_both_sides_or_twice_is_one_edge_and_friends_come_in_ascending_order_with_tags_keeping_their_ids()
    {
        var side = SideSignals.Create(Matrix(), ItemKind.Artist,
            [new TagRow(30, 3, 900), new TagRow(10, 1, 700), new TagRow(20, 2, 900)],
            [new FriendRow(30, 10), new FriendRow(10, 20), new FriendRow(20, 10), new FriendRow(10, 20), new FriendRow(10, 30)]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(side.FriendsOf(0), Is.EqualTo(new[] { 1, 2 }));
            Assert.That(side.FriendsOf(1), Is.EqualTo(new[] { 0 }));
            Assert.That(side.FriendsOf(2), Is.EqualTo(new[] { 0 }));
            Assert.That(Enumerable.Range(0, side.TagCount).Select(side.TagId), Is.EqualTo(new long[] { 900, 700 }),
                "dense tags in order of first use, each with the caller's id");
        }
    }

    [Test]
    public void Friends_score_each_friends_listening_as_a_unit_vector_and_explain_by_friend()
    {
        var matrix = Matrix();
        var side = SideSignals.Create(matrix, ItemKind.Artist, null, [new FriendRow(10, 20), new FriendRow(10, 30)]);
        var model = new FriendModel().Fit(new ModelInput(matrix, ItemKind.Artist, side), CancellationToken.None);
        var scores = new double[3];
        model.Score(0, scores);
        using (Assert.EnterMultipleScope())
        {
            // Friend 20 plays (3, 4): norm 5; friend 30 plays (2) on artist 3: norm 2.
            Assert.That(scores, Is.EqualTo(new[] { 3.0 / 5, 4.0 / 5, 1.0 }).Within(1e-12));
            Assert.That(ModelRanking.Top(model, 0, 5).Select(r => r.Item), Is.EqualTo(new[] { 2, 1 }), "own artist 1 excluded");
            Assert.That(model.Explain(0, 1).Evidence.Single(), Is.EqualTo(new Evidence(EvidenceKind.Friend, 1, 0.8, 0.8)));
        }
    }

    [Test]
    public void Tags_score_the_users_tag_profile_against_item_profiles_and_explain_by_tag()
    {
        // Artist 1 and 2 share tag 500; artist 3 has tag 600 only. User 10 plays artist 1 and tagged nothing.
        var matrix = Matrix();
        var side = SideSignals.Create(matrix, ItemKind.Artist,
            [new TagRow(20, 1, 500), new TagRow(20, 2, 500), new TagRow(30, 3, 600)], null);
        var model = new TagModel { OwnTags = 0, ItemNormExponent = 1 }.Fit(new ModelInput(matrix, ItemKind.Artist, side), CancellationToken.None);
        var scores = new double[3];
        model.Score(0, scores);
        using (Assert.EnterMultipleScope())
        {
            // idf(500) = ln(3/2), idf(600) = ln 3; unit item vectors: T(1) = T(2) = e_500, T(3) = e_600; q(10) = e_500.
            Assert.That(scores, Is.EqualTo(new[] { 1.0, 1.0, 0.0 }).Within(1e-12));
            Assert.That(model.Explain(0, 1).Evidence.Single().Id, Is.EqualTo(0), "tag 500 is dense tag 0");
        }
    }
}
