using System.Diagnostics;
using Tastebuds.Core;
using Tastebuds.Core.Evaluation;
using Tastebuds.Core.HetRec;
using Tastebuds.Core.Recommendations;
using Tastebuds.Core.Similarity;
using Tastebuds.Tests.Support;

namespace Tastebuds.Tests.Core;

public class HetRecTests
{
    private static IReadOnlyList<HetRecUserArtist> UserArtists()
    {
        using var reader = new StreamReader(Path.Combine(SharedData.RequireHetRec(), "user_artists.dat"));
        return HetRecReader.ReadUserArtists(reader);
    }

    [Test]
    public void Reader_finds_every_user_artist_row()
    {
        var rows = UserArtists();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rows, Has.Count.EqualTo(92_834));
            Assert.That(rows.Select(r => r.UserId).Distinct().Count(), Is.EqualTo(1_892));
            Assert.That(rows.Select(r => r.ArtistId).Distinct().Count(), Is.EqualTo(17_632));
            Assert.That(rows.Sum(r => r.Weight), Is.EqualTo(69_183_975));
            Assert.That(rows[0], Is.EqualTo(new HetRecUserArtist(2, 51, 13_883)));
        }
    }

    [Test]
    public void Reader_finds_every_artist()
    {
        using var reader = new StreamReader(Path.Combine(SharedData.RequireHetRec(), "artists.dat"));
        var artists = HetRecReader.ReadArtists(reader);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(artists, Has.Count.EqualTo(17_632));
            Assert.That(artists[0], Is.EqualTo(new HetRecArtist(1, "MALICE MIZER", "http://www.last.fm/music/MALICE+MIZER",
                "http://userserve-ak.last.fm/serve/252/10808.jpg")));
            Assert.That(artists.Count(a => a.PictureUrl.Length == 0), Is.EqualTo(444));
            Assert.That(artists.Any(a => a.Url.EndsWith('\r')), Is.False);
        }
    }

    [Test]
    public void Reader_strips_carriage_returns_and_skips_the_header()
    {
        var rows = HetRecReader.ReadUserArtists(new StringReader("userID\tartistID\tweight\r\n2\t51\t13883\r\n2\t52\t11690\r\n"));
        Assert.That(rows, Is.EqualTo(new[] { new HetRecUserArtist(2, 51, 13883), new HetRecUserArtist(2, 52, 11690) }));
    }

    [Test]
    public void Reader_reports_the_line_of_a_bad_row()
    {
        Assert.That(() => HetRecReader.ReadUserArtists(new StringReader("userID\tartistID\tweight\n2\tx\t1\n")),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains("Line 2"));
    }

    [Test]
    public void Best_measure_reaches_two_and_a_half_times_most_popular_ndcg_on_hetrec_artists()
    {
        // The recommended production setting (docs/evaluation.md): threshold 0.05, the rest default.
        var clock = Stopwatch.StartNew();
        var matrix = InteractionMatrix.Build(UserArtists().Select(r => r.ToInteraction()));
        var report = OfflineEvaluation.Run(matrix, new EvaluationOptions { Kind = ItemKind.Artist },
            new SimilarityOptions { SimilarityThreshold = 0.05 }, new RecommendationOptions(), CancellationToken.None);
        TestContext.Out.WriteLine(report.ToMarkdown(10));
        TestContext.Out.WriteLine($"total {clock.Elapsed.TotalSeconds:F2} s");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.EvaluatedUsers, Is.EqualTo(1_877));
            Assert.That(report.BestNdcgOverBaseline, Is.GreaterThanOrEqualTo(2.5));
        }
    }
}
