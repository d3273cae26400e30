using Tastebuds.Core;

namespace Tastebuds.Tests.Core;

/// <summary>
/// A generated world with strong taste clusters: each cluster favours its own block of tracks
/// with Zipf-like popularity, and everyone also plays some of a few globally popular tracks.
/// Tracks belong to artists in runs of five (artist = track / 5).
/// </summary>
internal static class ClusterWorld
{
    public const int Clusters = 4;
    public const int BlockSize = 60;
    public const int GlobalTracks = 15;

    public static List<Interaction> Create(int usersPerCluster, int seed)
    {
        var random = new Random(seed);
        var rows = new List<Interaction>();
        var user = 0;
        for (var c = 0; c < Clusters; c++)
        {
            for (var i = 0; i < usersPerCluster; i++, user++)
            {
                var tracks = new HashSet<int>();
                while (tracks.Count < 20)
                {
                    tracks.Add((c * BlockSize) + Zipf(random, BlockSize));
                }

                while (tracks.Count < 26)
                {
                    tracks.Add((Clusters * BlockSize) + Zipf(random, GlobalTracks));
                }

                foreach (var t in tracks)
                {
                    rows.Add(new Interaction(user, ItemKind.Track, t, 1 + random.Next(30), random.NextDouble() < 0.1));
                }
            }
        }

        return rows;
    }

    public static long ArtistOf(long track) => track / 5;

    /// <summary>Rank r (0-based) with probability proportional to 1 / (r + 1).</summary>
    private static int Zipf(Random random, int n)
    {
        var total = 0.0;
        for (var r = 1; r <= n; r++)
        {
            total += 1.0 / r;
        }

        var target = random.NextDouble() * total;
        for (var r = 1; r <= n; r++)
        {
            target -= 1.0 / r;
            if (target <= 0)
            {
                return r - 1;
            }
        }

        return n - 1;
    }
}
