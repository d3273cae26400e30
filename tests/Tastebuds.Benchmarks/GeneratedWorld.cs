using Tastebuds.Core;

namespace Tastebuds.Benchmarks;

/// <summary>A seeded world of users in taste clusters with Zipf-like item popularity, tracks/albums/artists.</summary>
internal static class GeneratedWorld
{
    public static List<Interaction> Create(int users, int seed)
    {
        const int Clusters = 20;
        const int TracksPerCluster = 1_000;
        var random = new Random(seed);
        var rows = new List<Interaction>();
        for (var u = 0; u < users; u++)
        {
            var cluster = random.Next(Clusters);
            var count = 20 + random.Next(180);
            var seen = new HashSet<int>();
            for (var j = 0; j < count; j++)
            {
                // 80 % from the own cluster, Zipf-ish via a squared uniform; the rest global.
                var inCluster = random.NextDouble() < 0.8;
                var rank = (int)(Math.Pow(random.NextDouble(), 2) * TracksPerCluster);
                var track = inCluster ? (cluster * TracksPerCluster) + rank : random.Next(Clusters * TracksPerCluster);
                if (!seen.Add(track))
                {
                    continue;
                }

                var plays = 1 + (long)(random.NextDouble() * random.NextDouble() * 200);
                var loved = random.NextDouble() < 0.05;
                rows.Add(new Interaction(u, ItemKind.Track, track, plays, loved));
                rows.Add(new Interaction(u, ItemKind.Album, track / 10, plays, loved));
                rows.Add(new Interaction(u, ItemKind.Artist, track / 50, plays, loved));
            }
        }

        return rows;
    }
}
