namespace Tastebuds.Sandbox.World;

/// Top albums and artists as sums of the top tracks' plays: the three lists can never disagree.
internal static class ListeningAggregates
{
    public static SandboxPlayed<SandboxAlbum>[] Albums(IReadOnlyList<SandboxPlayed<SandboxTrack>> tracks) =>
        Sum(tracks, t => t.Album);

    public static SandboxPlayed<SandboxArtist>[] Artists(IReadOnlyList<SandboxPlayed<SandboxTrack>> tracks) =>
        Sum(tracks, t => t.Artist);

    private static SandboxPlayed<T>[] Sum<T>(IReadOnlyList<SandboxPlayed<SandboxTrack>> tracks, Func<SandboxTrack, T> by)
        where T : notnull
    {
        var totals = new Dictionary<T, (long plays, int first)>(ReferenceEqualityComparer.Instance as IEqualityComparer<T>);
        for (var i = 0; i < tracks.Count; i++)
        {
            var item = by(tracks[i].Item);
            totals[item] = totals.TryGetValue(item, out var seen) ? (seen.plays + tracks[i].Playcount, seen.first) : (tracks[i].Playcount, i);
        }

        return totals
            .OrderByDescending(kv => kv.Value.plays)
            .ThenBy(kv => kv.Value.first)
            .Select(kv => new SandboxPlayed<T>(kv.Key, kv.Value.plays))
            .ToArray();
    }
}
