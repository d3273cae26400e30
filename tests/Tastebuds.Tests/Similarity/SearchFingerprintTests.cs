using System.Security.Cryptography;
using Tastebuds.Core;
using Tastebuds.Core.Similarity;

namespace Tastebuds.Tests.Similarity;

/// <summary>
/// The search's speed-ups must not change a single neighbour: every list of a seeded world, hashed with the scores' exact
/// bits, against the hash the search gave before them (main at 33cc963). A change of settings or of what the search
/// finds changes these on purpose, and the new value is then taken from the failure message with the reason in the commit.
/// </summary>
public sealed class SearchFingerprintTests
{
    [Test]
    public void The_pruned_search_gives_bit_for_bit_the_lists_it_gave_before_its_speed_ups()
    {
        var matrix = PopularWorld.Create(users: 2_000, seed: 11);
        var pruned = NeighbourFinder.Compute(matrix, new SimilarityOptions { MaxHoldersPerItem = 150 }, CancellationToken.None);

        Assert.That(pruned.Stats.PairsEvaluated, Is.GreaterThan(0));
        Assert.That(Fingerprint(pruned), Is.EqualTo(PrunedAt33cc963));
    }

    [Test]
    public void The_exact_search_gives_bit_for_bit_the_lists_it_gave_before_its_speed_ups()
    {
        var matrix = PopularWorld.Create(users: 1_000, seed: 13);
        var exact = NeighbourFinder.Compute(matrix, new SimilarityOptions(), CancellationToken.None);

        Assert.That(Fingerprint(exact), Is.EqualTo(ExactAt33cc963));
    }

    private const string PrunedAt33cc963 = "C55463BE8FCF4B47CCBC38AF40B6A3ED568C1CBA468C3EF0B5911B5D9FBC7972";
    private const string ExactAt33cc963 = "037C980DF318422503995D2560A8AD9CCDBC29E51FA692C704BAE828C4BB0237";

    /// <summary>SHA-256 over every user's lists of every metric: user, the score's and per-kind scores' bits, shared counts.</summary>
    internal static string Fingerprint(NeighbourSet set)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            foreach (var metric in Enum.GetValues<SimilarityMetric>())
            {
                for (var u = 0; u < set.UserCount; u++)
                {
                    var list = set.Of(u, metric);
                    writer.Write(u);
                    writer.Write(list.Count);
                    foreach (var n in list)
                    {
                        writer.Write(n.User);
                        writer.Write(BitConverter.DoubleToInt64Bits(n.Score));
                        writer.Write(BitConverter.DoubleToInt64Bits(n.TrackScore ?? double.NaN));
                        writer.Write(BitConverter.DoubleToInt64Bits(n.AlbumScore ?? double.NaN));
                        writer.Write(BitConverter.DoubleToInt64Bits(n.ArtistScore ?? double.NaN));
                        writer.Write(n.SharedTracks);
                        writer.Write(n.SharedAlbums);
                        writer.Write(n.SharedArtists);
                    }
                }
            }
        }

        return Convert.ToHexString(SHA256.HashData(stream.ToArray()));
    }
}
