using System.Globalization;
using System.Text;

namespace Tastebuds.Sandbox.World;

/// Loads the HetRec 2011 Last.fm 2K folder (tab-separated, one header row, CRLF in most files, tags.dat Latin-1).
/// Users are named <c>hetrec_&lt;userID&gt;</c>; weights become play counts; personal tags are of type artist.
/// Tagging rows whose artist is missing from artists.dat (390 artists, 1,538 rows) are skipped: there is no name to serve.
internal static class HetRecLoader
{
    private static readonly DateTimeOffset DatasetDate = new(2011, 5, 1, 0, 0, 0, TimeSpan.Zero);

    public static SandboxWorld Load(string folder, long seed, int missingCount)
    {
        var artists = new Dictionary<int, SandboxArtist>();
        foreach (var row in Rows(Path.Combine(folder, "artists.dat"), Encoding.UTF8))
        {
            var name = row[1];
            var picture = row.Length > 3 ? row[3] : "";
            artists[Int(row[0])] = new SandboxArtist(name, "", NameGenerator.Url("https://www.last.fm/music/", name), picture);
        }

        var tags = Rows(Path.Combine(folder, "tags.dat"), Encoding.Latin1).ToDictionary(r => Int(r[0]), r => r[1]);

        var plays = new SortedDictionary<int, List<(int artist, long weight)>>();
        foreach (var row in Rows(Path.Combine(folder, "user_artists.dat"), Encoding.ASCII))
        {
            Bucket(plays, Int(row[0])).Add((Int(row[1]), long.Parse(row[2], CultureInfo.InvariantCulture)));
        }

        var friends = new Dictionary<int, List<int>>();
        foreach (var row in Rows(Path.Combine(folder, "user_friends.dat"), Encoding.ASCII))
        {
            Bucket(friends, Int(row[0])).Add(Int(row[1]));
        }

        // tag -> artists in file order, per user; tags ordered by first use.
        var taggings = new Dictionary<int, Dictionary<int, List<int>>>();
        foreach (var row in Rows(Path.Combine(folder, "user_taggedartists.dat"), Encoding.ASCII))
        {
            var artist = Int(row[1]);
            if (artists.ContainsKey(artist))
            {
                var perUser = Bucket(taggings, Int(row[0]));
                var list = perUser.TryGetValue(Int(row[2]), out var existing) ? existing : perUser[Int(row[2])] = [];
                if (!list.Contains(artist))
                {
                    list.Add(artist);
                }
            }
        }

        var users = new List<SandboxUser>(plays.Count);
        foreach (var (id, listened) in plays)
        {
            var name = Username(id);
            var top = listened.OrderByDescending(x => x.weight).ThenBy(x => x.artist)
                .Select(x => new SandboxPlayed<SandboxArtist>(artists[x.artist], x.weight)).ToArray();
            var personal = taggings.GetValueOrDefault(id)?
                .Select(kv => new SandboxPersonalTag(tags[kv.Key], [], [], kv.Value.Select(a => artists[a]).ToArray()))
                .OrderByDescending(t => t.Artists.Count)
                .ToArray() ?? [];
            users.Add(new SandboxUser(seed)
            {
                Name = name,
                RealName = null,
                Country = "",
                Playcount = top.Sum(t => t.Playcount),
                // The dataset has no profiles: a fixed, id-derived registration date keeps the world reproducible.
                Registered = DatasetDate.AddDays(-(id % 3000)),
                Url = "https://www.last.fm/user/" + name,
                ImageUrlTemplate = "",
                TopTracks = [],
                TopAlbums = [],
                TopArtists = top,
                LovedTracks = [],
                TopTags = personal.Select(t => new SandboxTagCount(t.Tag, t.Artists.Count)).ToArray(),
                PersonalTags = personal,
                Friends = friends.GetValueOrDefault(id)?.Order().Select(Username).ToArray() ?? [],
            });
        }

        var missing = Enumerable.Range(0, missingCount).Select(i => Username(900_000 + i)).ToArray();
        return new SandboxWorld(seed, "hetrec2011-lastfm-2k", users, missing);
    }

    public static string Username(int id) => "hetrec_" + id.ToString(CultureInfo.InvariantCulture);

    private static TValue Bucket<TValue>(IDictionary<int, TValue> map, int key)
        where TValue : new() =>
        map.TryGetValue(key, out var value) ? value : map[key] = new TValue();

    private static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);

    private static IEnumerable<string[]> Rows(string path, Encoding encoding)
    {
        // ReadLine splits on LF and CRLF alike, so the mixed line endings need no special care.
        using var reader = new StreamReader(path, encoding, detectEncodingFromByteOrderMarks: false);
        reader.ReadLine();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                yield return line.Split('\t');
            }
        }
    }
}
