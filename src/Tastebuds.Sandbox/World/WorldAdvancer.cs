namespace Tastebuds.Sandbox.World;

/// Advances a world by whole weeks, seeded by (world seed, week, username), so the same world advanced the same way is
/// the same world byte for byte, and one user's week does not depend on any other's. Each week: a share of the users
/// listen more (more plays on some top tracks, sometimes a track discovered from another user, and often a love
/// changes); a fifth of those only love or unlove a track (play count unchanged, the loved-tracks total changes); the
/// rest do not change at all (the same <see cref="SandboxUser"/> object); and new users appear, whose taste mixes two
/// existing users'. Tags, friends and profiles never change.
internal static class WorldAdvancer
{
    public static SandboxWorld Advance(SandboxWorld world, int weeks, double changedFraction, double newUserFraction)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(weeks);
        ArgumentOutOfRangeException.ThrowIfLessThan(changedFraction, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(changedFraction, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(newUserFraction, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(newUserFraction, 1);
        var users = world.Users.ToList();
        var changed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var added = new List<string>();
        for (var w = world.Week + 1; w <= world.Week + weeks; w++)
        {
            var now = WorldGenerator.WorldNow.AddDays(7 * w);
            for (var i = 0; i < users.Count; i++)
            {
                var user = users[i];
                if (StableHash.Unit(world.Seed, $"week|{w}|changes|{user.Name}") < changedFraction)
                {
                    var random = new SeededRandom((long)StableHash.Of(world.Seed, $"week|{w}|{user.Name}"));
                    if (ListenMore(user, users, random, now, world.Seed) is { } next)
                    {
                        users[i] = next;
                        changed.Add(user.Name);
                    }
                }
            }

            var taken = new HashSet<string>(users.Select(u => u.Name).Concat(world.MissingUsernames), StringComparer.OrdinalIgnoreCase);
            var newcomers = (int)Math.Round(users.Count * newUserFraction);
            var names = new NameGenerator(new SeededRandom((long)StableHash.Of(world.Seed, $"week|{w}|names")));
            for (var k = 0; k < newcomers; k++)
            {
                string name;
                do
                {
                    name = names.Username();
                }
                while (!taken.Add(name));

                var random = new SeededRandom((long)StableHash.Of(world.Seed, $"week|{w}|new|{name}"));
                users.Add(Newcomer(name, users[random.Next(users.Count)], users[random.Next(users.Count)], random, now, world.Seed));
                added.Add(name);
            }
        }

        changed.ExceptWith(added);
        return new SandboxWorld(world.Seed, world.Source, users, world.MissingUsernames)
        {
            Week = world.Week + weeks,
            ChangedUsernames = [.. users.Select(u => u.Name).Where(changed.Contains)],
            AddedUsernames = added,
        };
    }

    /// The user a week later, or null when the dice left them as they were (no plays to add, no love to change).
    private static SandboxUser? ListenMore(SandboxUser user, List<SandboxUser> everyone, SeededRandom random, DateTimeOffset now, long seed)
    {
        var lovesOnly = random.Chance(0.2);
        var tracks = user.TopTracks.ToList();
        var artists = user.TopArtists.ToList();
        long added = 0;
        if (!lovesOnly && tracks.Count > 0)
        {
            // Some of the top tracks get more plays; sometimes a track heard at another user's joins the list.
            for (var i = 0; i < tracks.Count; i++)
            {
                if (random.Chance(0.15))
                {
                    var plays = random.Next(1, 40);
                    tracks[i] = tracks[i] with { Playcount = tracks[i].Playcount + plays };
                    added += plays;
                }
            }

            var other = everyone[random.Next(everyone.Count)];
            if (random.Chance(0.6) && other.TopTracks.Count > 0)
            {
                var found = other.TopTracks[random.Next(other.TopTracks.Count)].Item;
                if (tracks.All(t => !ReferenceEquals(t.Item, found)))
                {
                    var plays = random.Next(1, 25);
                    tracks.Add(new SandboxPlayed<SandboxTrack>(found, plays));
                    added += plays;
                }
            }
        }
        else if (!lovesOnly)
        {
            // A world without tracks (HetRec): the artists' plays grow.
            for (var i = 0; i < artists.Count; i++)
            {
                if (random.Chance(0.3))
                {
                    var plays = random.Next(1, 40);
                    artists[i] = artists[i] with { Playcount = artists[i].Playcount + plays };
                    added += plays;
                }
            }
        }

        // Ties keep their previous order (a stable sort), as the generator orders them.
        var sortedTracks = tracks.OrderByDescending(t => t.Playcount).ToArray();
        var loved = Loves(user, sortedTracks, random, now, lovesOnly);
        if (added == 0 && loved.SequenceEqual(user.LovedTracks))
        {
            return null;
        }

        return Copy(user, seed, user.Playcount + added, sortedTracks, artists.OrderByDescending(a => a.Playcount).ToArray(), loved);
    }

    private static SandboxLovedTrack[] Loves(SandboxUser user, SandboxPlayed<SandboxTrack>[] tracks, SeededRandom random, DateTimeOffset now, bool mustChange)
    {
        var loved = user.LovedTracks.ToList();
        var action = mustChange ? (loved.Count > 0 && random.Chance(0.3) ? 2 : 1) : random.Next(3); // 0 none, 1 love, 2 unlove
        var candidates = tracks.Select(t => t.Item).Where(t => loved.All(l => !ReferenceEquals(l.Track, t))).ToArray();
        if (action == 1 && candidates.Length > 0)
        {
            loved.Insert(0, new SandboxLovedTrack(candidates[random.Next(Math.Min(candidates.Length, 20))], now.AddSeconds(-random.Next(0, 7 * 86_400))));
        }
        else if (action == 2 && loved.Count > 0)
        {
            loved.RemoveAt(random.Next(loved.Count));
        }

        return [.. loved.OrderByDescending(l => l.LovedAt)];
    }

    private static SandboxUser Newcomer(string name, SandboxUser a, SandboxUser b, SeededRandom random, DateTimeOffset now, long seed)
    {
        var tracks = a.TopTracks.Where(_ => random.Chance(0.6)).Concat(b.TopTracks.Where(_ => random.Chance(0.3)))
            .DistinctBy(t => t.Item, ReferenceEqualityComparer.Instance)
            .Select(t => new SandboxPlayed<SandboxTrack>(t.Item, Math.Max(1, t.Playcount * random.Next(20, 120) / 100)))
            .OrderByDescending(t => t.Playcount)
            .ToArray();
        var artists = tracks.Length > 0 ? ListeningAggregates.Artists(tracks)
            : a.TopArtists.Select(x => new SandboxPlayed<SandboxArtist>(x.Item, Math.Max(1, x.Playcount * random.Next(20, 120) / 100))).OrderByDescending(x => x.Playcount).ToArray();
        var loved = tracks.Take(40).Where(_ => random.Chance(0.2))
            .Select(t => new SandboxLovedTrack(t.Item, now.AddSeconds(-random.Next(0, 7 * 86_400))))
            .OrderByDescending(l => l.LovedAt).ToArray();
        return new SandboxUser(seed)
        {
            Name = name,
            RealName = null,
            Country = a.Country,
            Playcount = (tracks.Length > 0 ? tracks.Sum(t => t.Playcount) : artists.Sum(x => x.Playcount)) + random.Next(0, 500),
            Registered = now.AddSeconds(-random.Next(0, 7 * 86_400)),
            Url = NameGenerator.Url("https://www.last.fm/user/", name),
            ImageUrlTemplate = "",
            TopTracks = tracks,
            TopAlbums = ListeningAggregates.Albums(tracks),
            TopArtists = artists,
            LovedTracks = loved,
            TopTags = [],
            PersonalTags = [],
            Friends = [],
        };
    }

    private static SandboxUser Copy(
        SandboxUser user, long seed, long playcount, SandboxPlayed<SandboxTrack>[] tracks, SandboxPlayed<SandboxArtist>[] artists, SandboxLovedTrack[] loved) =>
        new(seed)
        {
            Name = user.Name,
            RealName = user.RealName,
            Country = user.Country,
            Playcount = playcount,
            Registered = user.Registered,
            Url = user.Url,
            ImageUrlTemplate = user.ImageUrlTemplate,
            IsPrivate = user.IsPrivate,
            TopTracks = tracks,
            TopAlbums = tracks.Length > 0 ? ListeningAggregates.Albums(tracks) : user.TopAlbums,
            TopArtists = tracks.Length > 0 ? ListeningAggregates.Artists(tracks) : artists,
            LovedTracks = loved,
            TopTags = user.TopTags,
            PersonalTags = user.PersonalTags,
            Friends = user.Friends,
        };
}
