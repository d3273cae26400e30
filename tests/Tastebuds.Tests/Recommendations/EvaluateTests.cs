using Tastebuds.Sandbox.World;
using Tastebuds.Core.Evaluation;
using Tastebuds.Worker.Recommendations;
using Tastebuds.Worker.Similarity;

namespace Tastebuds.Tests.Recommendations;

public sealed class EvaluateTests
{
    [Test]
    public void Evaluate_on_a_generated_world_with_taste_clusters_beats_most_popular_on_ndcg()
    {
        var data = EvaluationSources.FromSandbox(users: 200, seed: 5);

        var report = EvaluationRunner.Run(data, new AlgorithmOptions(), holdout: 0.2, cutOff: 10, seed: 42, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(data.Rows.Select(r => r.Kind).Distinct().Count(), Is.EqualTo(3), "tracks, albums and artists");
            Assert.That(report.EvaluatedUsers, Is.GreaterThan(150));
            Assert.That(report["cosine"].Ndcg, Is.GreaterThan(2 * report[OfflineEvaluation.MostPopular].Ndcg));
            Assert.That(report.BestNdcgOverBaseline, Is.GreaterThan(2));
        }
    }

    [Test]
    public void The_sandbox_source_puts_an_artist_or_album_tag_on_the_users_own_tracks_by_that_artist_as_the_stage_does()
    {
        var world = SandboxWorld.Generate(200, 5);
        var data = EvaluationSources.FromSandbox(users: 200, seed: 5);
        var user = world.Users.Select((u, n) => (User: u, Id: n + 1L))
            .First(p => !p.User.IsPrivate && p.User.PersonalTags.Any(t => t.Tracks.Count == 0
                && p.User.TopTracks.Any(o => t.Artists.Any(a => a.Name == o.Item.Artist.Name) || t.Albums.Any(a => a.Artist.Name == o.Item.Artist.Name))));
        var own = user.User.TopTracks.Select(t => t.Item).Concat(user.User.LovedTracks.Select(l => l.Track))
            .Select(t => (t.Artist.Name, t.Name)).Distinct().ToList();
        var expected = user.User.PersonalTags.Sum(tag => tag.Tracks.Select(t => (t.Artist.Name, t.Name))
            .Union(own.Where(t => tag.Artists.Any(a => a.Name == t.Item1) || tag.Albums.Any(a => a.Artist.Name == t.Item1))).Count());

        var rows = data.Tags!.Where(t => t.UserId == user.Id).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(rows, Has.Count.EqualTo(expected), "one row per tag and track: the tag's tracks and the user's own tracks by its artists");
            Assert.That(rows.Count, Is.GreaterThan(user.User.PersonalTags.Sum(t => t.Tracks.Count)), "more than the track tags alone");
        }
    }
}
