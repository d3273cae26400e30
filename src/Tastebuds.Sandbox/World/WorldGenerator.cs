namespace Tastebuds.Sandbox.World;

/// Builds a generated world: taste clusters, a catalogue with Zipf-like popularity per cluster, and per user
/// top tracks (albums and artists summed from them), loved tracks, personal tags, friends and a profile.
/// Every choice comes from one <see cref="SeededRandom"/> in a fixed order, so a seed gives the same world.
internal static class WorldGenerator
{
    /// The world's "now": dates are fixed, never read from a clock, so the world is reproducible.
    public static readonly DateTimeOffset WorldNow = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[][] ClusterTags =
    [
        ["rock", "indie", "alternative", "90s"], ["jazz", "smooth jazz", "bebop", "saxophone"],
        ["electronic", "techno", "house", "idm"], ["hip-hop", "rap", "r&b", "boom bap"],
        ["metal", "death metal", "doom", "heavy/loud"], ["folk", "acoustic", "singer-songwriter", "música popular"],
        ["classical", "baroque", "piano", "opera"], ["k-pop", "j-pop", "日本", "idol"],
        ["chanson", "französisch", "variété", "60s"], ["ambient", "drone", "chill", "late-night/driving"],
    ];

    private static readonly string[] CommonTags = ["favorites", "seen live", "love", "female vocalists", "summer ★", "Spotify"];
    private static readonly string[] Countries = ["United Kingdom", "Germany", "Brazil", "Japan", "United States", "France", "Poland", "Sweden", "Mexico", "Nigeria", "South Korea", "Spain", ""];

    public static SandboxWorld Generate(int userCount, long seed, double privateFraction, int missingCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(userCount, 1);
        var random = new SeededRandom(seed);
        var names = new NameGenerator(random);
        var clusterCount = Math.Clamp(userCount / 40, 3, ClusterTags.Length);
        var catalog = CatalogBuilder.Build(random, names, clusterCount, Math.Max(30, userCount * 3 / clusterCount));

        var usernames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var drafts = new List<UserDraft>(userCount);
        for (var i = 0; i < userCount; i++)
        {
            string name;
            do
            {
                name = names.Username();
            }
            while (!usernames.Add(name));

            drafts.Add(DraftUser(random, names, catalog, name, clusterCount, privateFraction));
        }

        var friends = Friendships(random, drafts);
        var users = drafts.Select((d, i) => d.ToUser(seed, friends[i].Select(f => drafts[f].Name)
            .Order(StringComparer.OrdinalIgnoreCase).ToArray())).ToArray();

        var missing = new List<string>();
        while (missing.Count < missingCount)
        {
            var name = names.Username() + "_gone";
            if (usernames.Add(name))
            {
                missing.Add(name);
            }
        }

        return new SandboxWorld(seed, "generated", users, missing);
    }

    private static UserDraft DraftUser(
        SeededRandom random, NameGenerator names, CatalogBuilder.Catalog catalog, string name, int clusterCount, double privateFraction)
    {
        var cluster = random.Next(clusterCount);
        var second = random.Next(clusterCount);
        var registered = DateTimeOffset.FromUnixTimeSeconds(random.Next(1_041_379_200, 1_735_603_200));
        var draft = new UserDraft
        {
            Name = name,
            Cluster = cluster,
            RealName = random.Chance(0.15) ? null : names.Person() + (random.Chance(0.05) ? " " : ""),
            Country = random.Pick(Countries),
            Registered = registered,
            ImageUrlTemplate = CatalogBuilder.Image(random, 0.4),
            IsPrivate = random.Chance(privateFraction),
        };

        // A few brand-new users have no listening at all, so clients meet empty lists.
        var trackCount = random.Chance(0.03) ? 0 : 10 + (int)(290 * Math.Pow(random.NextDouble(), 2));
        var chosen = new HashSet<SandboxTrack>(ReferenceEqualityComparer.Instance);
        var order = new List<SandboxTrack>();
        for (var attempts = 0; order.Count < trackCount && attempts < trackCount * 20; attempts++)
        {
            var track = catalog.SampleTrack(random, random.Chance(0.85) ? cluster : second);
            if (chosen.Add(track))
            {
                order.Add(track);
            }
        }

        var scale = 20 + (random.NextDouble() * 1500);
        var plays = order
            .Select((track, rank) => new SandboxPlayed<SandboxTrack>(
                track, Math.Max(1, (long)Math.Round(scale / Math.Pow(rank + 1, 0.9) * (0.8 + (0.4 * random.NextDouble()))))))
            .OrderByDescending(p => p.Playcount) // stable: ties keep their sampling order
            .ToArray();
        draft.TopTracks = plays;
        draft.Playcount = plays.Sum(p => p.Playcount) + random.Next(0, 5000);

        draft.LovedTracks = Loved(random, catalog, plays, cluster, registered);
        draft.PersonalTags = Tags(random, plays, cluster);
        return draft;
    }

    private static SandboxLovedTrack[] Loved(
        SeededRandom random, CatalogBuilder.Catalog catalog, SandboxPlayed<SandboxTrack>[] plays, int cluster, DateTimeOffset registered)
    {
        var count = plays.Length == 0 || random.Chance(0.3) ? 0 : random.Next(1, 60);
        var loved = new HashSet<SandboxTrack>(ReferenceEqualityComparer.Instance);
        var result = new List<SandboxLovedTrack>();
        var span = WorldNow.ToUnixTimeSeconds() - registered.ToUnixTimeSeconds();
        for (var attempts = 0; result.Count < count && attempts < count * 10; attempts++)
        {
            // Mostly the user's own top tracks; some loved tracks were never in the top list.
            var track = random.Chance(0.7) ? plays[random.Zipf(plays.Length, 0.7)].Item : catalog.SampleTrack(random, cluster);
            if (loved.Add(track))
            {
                var at = registered.ToUnixTimeSeconds() + (long)(random.NextDouble() * span);
                result.Add(new SandboxLovedTrack(track, DateTimeOffset.FromUnixTimeSeconds(at)));
            }
        }

        return [.. result.OrderByDescending(l => l.LovedAt)];
    }

    private static SandboxPersonalTag[] Tags(SeededRandom random, SandboxPlayed<SandboxTrack>[] plays, int cluster)
    {
        if (plays.Length == 0 || random.Chance(0.45))
        {
            return [];
        }

        var albums = ListeningAggregates.Albums(plays);
        var artists = ListeningAggregates.Artists(plays);
        var vocabulary = ClusterTags[cluster].Concat(CommonTags).ToArray();
        var tags = new List<SandboxPersonalTag>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        var tagCount = random.Next(1, 7);
        for (var i = 0; i < tagCount; i++)
        {
            var tag = vocabulary[random.Zipf(vocabulary.Length, 0.8)];
            if (!used.Add(tag))
            {
                continue;
            }

            var tracks = Distinct(random, plays, random.Next(0, 6), p => p.Item);
            var tagAlbums = Distinct(random, albums, random.Next(0, 4), p => p.Item);
            var tagArtists = Distinct(random, artists, random.Next(tracks.Length + tagAlbums.Length == 0 ? 1 : 0, 5), p => p.Item);
            tags.Add(new SandboxPersonalTag(tag, tracks, tagAlbums, tagArtists));
        }

        return [.. tags.OrderByDescending(t => t.Tracks.Count + t.Albums.Count + t.Artists.Count)];
    }

    private static T[] Distinct<TSource, T>(SeededRandom random, IReadOnlyList<TSource> source, int count, Func<TSource, T> item)
        where T : class
    {
        var picked = new List<T>();
        for (var attempts = 0; picked.Count < Math.Min(count, source.Count) && attempts < count * 10; attempts++)
        {
            var candidate = item(source[random.Zipf(source.Count, 0.6)]);
            if (!picked.Contains(candidate))
            {
                picked.Add(candidate);
            }
        }

        return [.. picked];
    }

    private static List<HashSet<int>> Friendships(SeededRandom random, List<UserDraft> drafts)
    {
        var friends = drafts.Select(_ => new HashSet<int>()).ToList();
        var byCluster = drafts.Select((d, i) => (d.Cluster, i)).GroupBy(x => x.Cluster).ToDictionary(g => g.Key, g => g.Select(x => x.i).ToArray());
        for (var i = 0; i < drafts.Count; i++)
        {
            var degree = random.Next(0, 5);
            for (var k = 0; k < degree; k++)
            {
                var j = random.Chance(0.7) ? random.Pick(byCluster[drafts[i].Cluster]) : random.Next(drafts.Count);
                if (j != i)
                {
                    friends[i].Add(j);
                    friends[j].Add(i);
                }
            }
        }

        return friends;
    }
}
