namespace Tastebuds.Sandbox.World;

/// The top lists for a period shorter than overall: a deterministic subset of the overall items
/// (kept with the period's probability) with play counts scaled down (never below 1).
internal sealed record PeriodLists(
    IReadOnlyList<SandboxPlayed<SandboxTrack>> Tracks,
    IReadOnlyList<SandboxPlayed<SandboxAlbum>> Albums,
    IReadOnlyList<SandboxPlayed<SandboxArtist>> Artists)
{
    public static PeriodLists Build(SandboxUser user, SandboxPeriod period, long seed)
    {
        var share = period switch
        {
            SandboxPeriod.SevenDay => 0.08,
            SandboxPeriod.OneMonth => 0.2,
            SandboxPeriod.ThreeMonth => 0.4,
            SandboxPeriod.SixMonth => 0.6,
            SandboxPeriod.TwelveMonth => 0.8,
            _ => 1.0,
        };
        var salt = $"{user.Name}|{period}";
        if (user.TopTracks.Count > 0)
        {
            // Albums and artists follow the period's tracks, so the three lists stay consistent.
            var tracks = Subset(user.TopTracks, share, seed, salt, t => $"{t.Artist.Name}|{t.Name}");
            return new PeriodLists(tracks, ListeningAggregates.Albums(tracks), ListeningAggregates.Artists(tracks));
        }

        return new PeriodLists([], Subset(user.TopAlbums, share, seed, salt, a => $"{a.Artist.Name}|{a.Name}"),
            Subset(user.TopArtists, share, seed, salt, a => a.Name));
    }

    private static SandboxPlayed<T>[] Subset<T>(
        IReadOnlyList<SandboxPlayed<T>> items, double share, long seed, string salt, Func<T, string> key) =>
        items
            .Select((played, index) => (played, index, u: StableHash.Unit(seed, $"{salt}|{key(played.Item)}")))
            .Where(x => x.u < share)
            .Select(x => (x.index, played: new SandboxPlayed<T>(
                x.played.Item, Math.Max(1, (long)Math.Round(x.played.Playcount * share * (0.5 + (x.u / share)))))))
            .OrderByDescending(x => x.played.Playcount)
            .ThenBy(x => x.index)
            .Select(x => x.played)
            .ToArray();
}
