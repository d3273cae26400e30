using Tastebuds.Core;

namespace Tastebuds.Tests.Similarity;

/// <summary>
/// A world where a few tracks are held by most users: half of each user's 60 tracks from a world-wide Zipf ranking
/// over 20,000 tracks, half from one of 25 taste clusters; albums and artists follow the tracks (4 and 10 a group).
/// The posting lists of the head are far longer than the pruning caps the tests use.
/// </summary>
internal static class PopularWorld
{
    private const int Tracks = 20_000;
    private const int Clusters = 25;

    public static InteractionMatrix Create(int users, int seed)
    {
        var random = new Random(seed);
        var global = Cdf(Tracks);
        var local = Cdf(Tracks / Clusters);
        var rows = new List<Interaction>();
        for (var u = 0; u < users; u++)
        {
            var cluster = random.Next(Clusters);
            var tracks = new HashSet<int>();
            while (tracks.Count < 60)
            {
                tracks.Add(random.NextDouble() < 0.5 ? Sample(global, random) : (Sample(local, random) * Clusters) + cluster);
            }

            foreach (var t in tracks)
            {
                var plays = 1 + random.Next(100);
                var loved = random.NextDouble() < 0.2;
                rows.Add(new Interaction(u, ItemKind.Track, t, plays, loved));
                rows.Add(new Interaction(u, ItemKind.Album, t / 4, plays, loved));
                rows.Add(new Interaction(u, ItemKind.Artist, t / 10, plays, loved));
            }
        }

        return InteractionMatrix.Build(rows);
    }

    private static double[] Cdf(int count)
    {
        var cdf = new double[count];
        var sum = 0.0;
        for (var i = 0; i < count; i++)
        {
            sum += 1.0 / (i + 1);
            cdf[i] = sum;
        }

        return cdf.Select(c => c / sum).ToArray();
    }

    private static int Sample(double[] cdf, Random random)
    {
        var found = Array.BinarySearch(cdf, random.NextDouble());
        return Math.Min(cdf.Length - 1, found >= 0 ? found : ~found);
    }
}
