namespace Tastebuds.Sandbox.World;

/// The generated catalogue: artists per taste cluster in popularity order, each with albums and tracks.
internal static class CatalogBuilder
{
    public sealed class Catalog(IReadOnlyList<IReadOnlyList<(SandboxArtist Artist, SandboxTrack[] Tracks)>> clusters)
    {
        /// Zipf over the cluster's artists (index = popularity rank), then over the artist's tracks.
        public SandboxTrack SampleTrack(SeededRandom random, int cluster)
        {
            var artists = clusters[cluster];
            var (_, tracks) = artists[random.Zipf(artists.Count, 1.0)];
            return tracks[random.Zipf(tracks.Length, 1.1)];
        }
    }

    public static Catalog Build(SeededRandom random, NameGenerator names, int clusterCount, int artistsPerCluster)
    {
        var artistKeys = new HashSet<string>(StringComparer.Ordinal);
        var clusters = new List<IReadOnlyList<(SandboxArtist, SandboxTrack[])>>();
        var lastMbid = "";
        for (var c = 0; c < clusterCount; c++)
        {
            var artists = new List<(SandboxArtist, SandboxTrack[])>();
            while (artists.Count < artistsPerCluster)
            {
                var name = names.Artist();
                if (!artistKeys.Add(Key(name)))
                {
                    continue;
                }

                var artistUrl = NameGenerator.Url("https://www.last.fm/music/", name);
                var artist = new SandboxArtist(name, Mbid(random, 0.55), artistUrl, Image(random, 0.3));
                var titleKeys = new HashSet<string>(StringComparer.Ordinal);
                var albumKeys = new HashSet<string>(StringComparer.Ordinal);
                var tracks = new List<SandboxTrack>();
                var albumCount = random.Next(1, 4);
                for (var a = 0; a < albumCount; a++)
                {
                    var albumName = names.Album(name);
                    if (!albumKeys.Add(Key(albumName)))
                    {
                        continue;
                    }

                    var album = new SandboxAlbum(albumName, artist, Mbid(random, 0.4), NameGenerator.Url(artistUrl + "/", albumName), Image(random, 0.3));
                    var trackCount = random.Next(3, 11);
                    for (var t = 0; t < trackCount; t++)
                    {
                        var title = names.Track();
                        if (!titleKeys.Add(Key(title)))
                        {
                            continue;
                        }

                        // Now and then two tracks carry the same mbid: clients must not key on it.
                        var mbid = lastMbid.Length > 0 && random.Chance(0.01) ? lastMbid : Mbid(random, 0.45);
                        lastMbid = mbid.Length > 0 ? mbid : lastMbid;
                        tracks.Add(new SandboxTrack(title, artist, album, mbid,
                            NameGenerator.Url(artistUrl + "/_/", title), random.Chance(0.2) ? 0 : random.Next(90, 420), album.ImageUrlTemplate));
                    }
                }

                if (tracks.Count > 0)
                {
                    artists.Add((artist, tracks.ToArray()));
                }
            }

            clusters.Add(artists);
        }

        return new Catalog(clusters);
    }

    public static string Image(SeededRandom random, double emptyShare) =>
        random.Chance(emptyShare) ? "" : $"https://lastfm.freetls.fastly.net/i/u/{{size}}/{random.Hex(32)}.png";

    /// The normalised key clients are expected to use (case-folded, trimmed, whitespace collapsed):
    /// no two artists (or two titles of one artist) may collide on it.
    private static string Key(string name) =>
        string.Join(' ', name.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();

    private static string Mbid(SeededRandom random, double share) => random.Chance(share) ? random.Mbid() : "";
}
