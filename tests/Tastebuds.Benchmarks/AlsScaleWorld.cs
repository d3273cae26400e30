using Tastebuds.Core;

namespace Tastebuds.Benchmarks;

/// <summary>
/// In memory, for the iALS timing (the `scale` verb writes its own world, ScaleWorld, into PostgreSQL): every user has 100 distinct tracks (a top-tracks
/// page), 80 % from one of 25 taste clusters (a contiguous block of the catalogue) and 20 % from the whole catalogue,
/// both with Zipf (s = 1) popularity; play counts Zipf-like too. Seeded.
/// </summary>
internal static class AlsScaleWorld
{
    public const int Clusters = 25;
    public const int TracksPerUser = 100;

    public static List<Interaction> Create(int users, int tracks, int seed)
    {
        var random = new Random(seed);
        var block = tracks / Clusters;
        var rows = new List<Interaction>(users * TracksPerUser);
        var seen = new HashSet<int>();
        for (var u = 0; u < users; u++)
        {
            var cluster = random.Next(Clusters);
            seen.Clear();
            while (seen.Count < TracksPerUser)
            {
                var track = random.NextDouble() < 0.8
                    ? (cluster * block) + Zipf(random, block)
                    : Zipf(random, tracks);
                if (seen.Add(track))
                {
                    rows.Add(new Interaction(u, ItemKind.Track, track, 1 + Zipf(random, 1_000), false));
                }
            }
        }

        return rows;
    }

    /// <summary>Rank 0..n-1 with probability ≈ 1/(r + 1): the inverse of the continuous CDF ln(r)/ln(n).</summary>
    private static int Zipf(Random random, int n) => Math.Min(n - 1, (int)Math.Pow(n + 1, random.NextDouble()) - 1);
}
