using System.Globalization;
using Tastebuds.Sandbox.World;
using Tastebuds.Worker.Lastfm;

namespace Tastebuds.Tests.Fetching;

/// <summary>
/// What the database must hold after fetching a sandbox world, derived from the world itself (not from the
/// worker's code), in <see cref="DatabaseDump"/>'s line format.
/// </summary>
internal sealed class ExpectedFromWorld(SandboxWorld world, FetchLimitsOptions limits, IEnumerable<string> fetched)
{
    private readonly List<SandboxUser> _users = fetched
        .Select(world.FindUser).OfType<SandboxUser>().Where(u => !u.IsPrivate).ToList();

    public IReadOnlyList<SandboxUser> Users => _users;

    public List<string> Tracks() => Sorted(_users.SelectMany(u =>
    {
        var rows = new Dictionary<(string, string), (long Plays, int? Rank, DateTimeOffset? LovedAt, SortedSet<string> Tags)>();
        foreach (var (played, index) in u.TopTracks.Take(limits.TracksPerUser).Select((p, i) => (p, i)))
        {
            rows[(played.Item.Artist.Name, played.Item.Name)] = (played.Playcount, index + 1, null, new SortedSet<string>(StringComparer.Ordinal));
        }

        foreach (var loved in u.LovedTracks.Take(limits.LovedTracksPerUser))
        {
            var key = (loved.Track.Artist.Name, loved.Track.Name);
            rows[key] = rows.TryGetValue(key, out var row)
                ? row with { LovedAt = loved.LovedAt }
                : (0, null, loved.LovedAt, new SortedSet<string>(StringComparer.Ordinal));
        }

        foreach (var tag in Tags(u))
        {
            foreach (var track in tag.Tracks.Take(limits.TaggedItemsPerTag))
            {
                if (rows.TryGetValue((track.Artist.Name, track.Name), out var row))
                {
                    row.Tags.Add(tag.Tag);
                }
            }
        }

        return rows.Select(r => Line(u.Name, r.Key.Item1, r.Key.Item2, r.Value.Plays, r.Value.LovedAt is not null,
            r.Value.LovedAt, r.Value.Rank, "overall", string.Join(',', r.Value.Tags)));
    }));

    public List<string> Albums() => Sorted(_users.SelectMany(u =>
    {
        var tags = Tags(u).SelectMany(t => t.Albums.Take(limits.TaggedItemsPerTag).Select(a => (Key: (a.Artist.Name, a.Name), t.Tag))).ToList();
        return u.TopAlbums.Take(limits.AlbumsPerUser).Select((p, i) => Line(u.Name, p.Item.Artist.Name, p.Item.Name, p.Playcount, 0, i + 1, "overall",
            string.Join(',', tags.Where(t => t.Key == (p.Item.Artist.Name, p.Item.Name)).Select(t => t.Tag).Distinct().Order(StringComparer.Ordinal))));
    }));

    public List<string> Artists() => Sorted(_users.SelectMany(u =>
    {
        var loves = u.LovedTracks.Take(limits.LovedTracksPerUser).GroupBy(l => l.Track.Artist.Name).ToDictionary(g => g.Key, g => g.Count());
        var rows = u.TopArtists.Take(limits.ArtistsPerUser).Select((p, i) => (Name: p.Item.Name, Plays: p.Playcount, Rank: (int?)(i + 1))).ToList();
        rows.AddRange(loves.Keys.Where(name => rows.All(r => r.Name != name)).Select(name => (name, 0L, (int?)null)));
        var tags = Tags(u).SelectMany(t => t.Artists.Take(limits.TaggedItemsPerTag).Select(a => (a.Name, t.Tag))).ToList();
        return rows.Select(r => Line(u.Name, r.Name, r.Plays, loves.GetValueOrDefault(r.Name), r.Rank, "overall",
            string.Join(',', tags.Where(t => t.Name == r.Name).Select(t => t.Tag).Distinct().Order(StringComparer.Ordinal))));
    }));

    public List<string> Profiles() => Sorted(_users.Select(u => Line(
        u.Name, string.IsNullOrWhiteSpace(u.RealName) ? null : u.RealName.Trim(), string.IsNullOrEmpty(u.Country) ? null : u.Country,
        u.Playcount, u.Registered, u.Url, true)));

    private IEnumerable<SandboxPersonalTag> Tags(SandboxUser u) =>
        u.TopTags.Take(limits.TagsPerUser).Select(t => u.FindPersonalTag(t.Name)).OfType<SandboxPersonalTag>();

    private static string Line(params object?[] values) => string.Join(" | ", values.Select(v => v switch
    {
        null => "∅",
        DateTimeOffset d => d.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        _ => Convert.ToString(v, CultureInfo.InvariantCulture),
    }));

    private static List<string> Sorted(IEnumerable<string> lines)
    {
        var list = lines.ToList();
        list.Sort(StringComparer.Ordinal);
        return list;
    }
}
