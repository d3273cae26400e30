using Tastebuds.Worker.Lastfm;

namespace Tastebuds.Worker.Fetching;

/// <summary>
/// A snapshot turned into catalog entries and interaction rows: plays, loves and tags merged per item.
/// A loved track outside the top list is still a track interaction (plays 0, loved); an artist's loves are
/// the user's loved tracks by that artist; tagged items with neither plays nor loves are dropped, like every
/// row with zero plays and no love. Names are matched by <see cref="CatalogKey"/>.
/// Counts are bounded here, each case with a <see cref="Warnings"/> line that names the item: a play count that
/// is not a number or is negative drops the item (its plays are unknown), one over <see cref="MaxPlayCount"/> is
/// clamped to it; the profile's total play count likewise, with 0 for an unknown one.
/// </summary>
public sealed class MergedSnapshot
{
    /// <summary>The largest play count stored (also a CHECK in the schema): the heaviest real listeners have a few million.</summary>
    public const long MaxPlayCount = 1_000_000_000;

    private readonly List<string> _warnings = [];
    private readonly Dictionary<string, CatalogArtist> _artists = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, string), CatalogItem> _albums = [];
    private readonly Dictionary<(string, string), CatalogItem> _tracks = [];
    private readonly Dictionary<(string, string), TrackRow> _trackRows = [];
    private readonly Dictionary<(string, string), KindRow> _albumRows = [];
    private readonly Dictionary<string, KindRow> _artistRows = new(StringComparer.Ordinal);

    private MergedSnapshot(UserSnapshot snapshot) => Snapshot = snapshot;

    public UserSnapshot Snapshot { get; }

    public IReadOnlyCollection<CatalogArtist> Artists => _artists.Values;

    public IReadOnlyCollection<CatalogItem> Albums => _albums.Values;

    public IReadOnlyCollection<CatalogItem> Tracks => _tracks.Values;

    public IReadOnlyCollection<TrackRow> TrackRows => _trackRows.Values;

    public IReadOnlyCollection<KindRow> AlbumRows => _albumRows.Values;

    public IReadOnlyCollection<KindRow> ArtistRows => _artistRows.Values;

    /// <summary>The profile's total play count within 0..<see cref="MaxPlayCount"/>.</summary>
    public long TotalPlaycount { get; private set; }

    /// <summary>What was dropped or clamped, one line per item, for the log.</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>A profile's total play count as it is stored: unknown or negative as 0, clamped to <see cref="MaxPlayCount"/>.</summary>
    public static long StoredTotal(long? playcount) => playcount is { } p and >= 0 ? Math.Min(p, MaxPlayCount) : 0;

    public static MergedSnapshot From(UserSnapshot snapshot)
    {
        var merged = new MergedSnapshot(snapshot);
        merged.TotalPlaycount = merged.Bounded($"the profile of '{snapshot.Profile.Name}'", snapshot.Profile.Playcount, "counted as 0") ?? 0;
        foreach (var t in snapshot.TopTracks.Where(t => Usable(t.Name, t.Artist)))
        {
            if (merged.Bounded($"track '{t.Name}' by '{t.Artist}'", t.Playcount, "item dropped") is not { } plays)
            {
                continue;
            }

            var key = merged.AddTrack(t.Name, t.Artist, t.Mbid, t.ArtistMbid, t.Url);
            var row = merged.TrackRowFor(key);
            row.PlayCount = Add(row.PlayCount, plays);
            row.Rank = MinRank(row.Rank, t.Rank);
        }

        foreach (var l in snapshot.LovedTracks.Where(l => Usable(l.Name, l.Artist)))
        {
            var key = merged.AddTrack(l.Name, l.Artist, l.Mbid, l.ArtistMbid, l.Url);
            var row = merged.TrackRowFor(key);
            if (!row.IsLoved)
            {
                row.IsLoved = true;
                row.LovedAt = l.LovedAt;
                merged.ArtistRowFor(key.Artist).LovedTracks++;
            }
        }

        foreach (var a in snapshot.TopAlbums.Where(a => Usable(a.Name, a.Artist)))
        {
            if (merged.Bounded($"album '{a.Name}' by '{a.Artist}'", a.Playcount, "item dropped") is not { } plays)
            {
                continue;
            }

            var artistKey = merged.AddArtist(a.Artist, a.ArtistMbid, null);
            var key = (artistKey, CatalogKey.Normalise(a.Name));
            merged._albums.TryAdd(key, new CatalogItem(artistKey, a.Name.Trim(), key.Item2, a.Mbid, a.Url));
            if (!merged._albumRows.TryGetValue(key, out var row))
            {
                merged._albumRows[key] = row = new KindRow(artistKey, key.Item2);
            }

            row.PlayCount = Add(row.PlayCount, plays);
            row.Rank = MinRank(row.Rank, a.Rank);
        }

        foreach (var a in snapshot.TopArtists.Where(a => CatalogKey.IsUsable(a.Name)))
        {
            if (merged.Bounded($"artist '{a.Name}'", a.Playcount, "item dropped") is not { } plays)
            {
                continue;
            }

            var artistKey = merged.AddArtist(a.Name, a.Mbid, a.Url);
            var row = merged.ArtistRowFor(artistKey);
            row.PlayCount = Add(row.PlayCount, plays);
            row.Rank = MinRank(row.Rank, a.Rank);
        }

        merged.ApplyTags();
        return merged;
    }

    private void ApplyTags()
    {
        foreach (var (tag, item) in Snapshot.Tags)
        {
            if (!CatalogKey.IsUsable(tag) || !CatalogKey.IsUsable(item.Name))
            {
                continue;
            }

            var name = CatalogKey.Normalise(item.Name);
            var artist = item.Artist is null ? null : CatalogKey.Normalise(item.Artist);
            TagSet? tags = item.Kind switch
            {
                TaggingType.Track when artist is not null && _trackRows.TryGetValue((artist, name), out var t) => t.Tags,
                TaggingType.Album when artist is not null && _albumRows.TryGetValue((artist, name), out var a) => a.Tags,
                TaggingType.Artist when _artistRows.TryGetValue(name, out var r) => r.Tags,
                _ => null,
            };
            tags?.Add(tag.Trim());
        }
    }

    private (string Artist, string Track) AddTrack(string name, string artist, string? mbid, string? artistMbid, string? url)
    {
        var artistKey = AddArtist(artist, artistMbid, null);
        var key = (artistKey, CatalogKey.Normalise(name));
        if (_tracks.TryGetValue(key, out var existing))
        {
            // The top list and the loved list may each carry an mbid or url the other lacks.
            _tracks[key] = existing with { Mbid = existing.Mbid ?? mbid, Url = existing.Url ?? url };
        }
        else
        {
            _tracks[key] = new CatalogItem(artistKey, name.Trim(), key.Item2, mbid, url);
        }

        return key;
    }

    private string AddArtist(string name, string? mbid, string? url)
    {
        var key = CatalogKey.Normalise(name);
        _artists[key] = _artists.TryGetValue(key, out var existing)
            ? existing with { Mbid = existing.Mbid ?? mbid, Url = existing.Url ?? url }
            : new CatalogArtist(name.Trim(), key, mbid, url);
        return key;
    }

    private TrackRow TrackRowFor((string Artist, string Track) key)
    {
        if (!_trackRows.TryGetValue(key, out var row))
        {
            _trackRows[key] = row = new TrackRow(key.Artist, key.Track);
        }

        return row;
    }

    private KindRow ArtistRowFor(string artistKey)
    {
        if (!_artistRows.TryGetValue(artistKey, out var row))
        {
            _artistRows[artistKey] = row = new KindRow(artistKey, artistKey);
        }

        return row;
    }

    /// <summary>A count within 0..<see cref="MaxPlayCount"/>, or null (with a warning naming <paramref name="what"/>) when unknown.</summary>
    private long? Bounded(string what, long? count, string whenUnknown)
    {
        switch (count)
        {
            case null:
                _warnings.Add($"{what}: play count is not a number; {whenUnknown}");
                return null;
            case < 0:
                _warnings.Add(FormattableString.Invariant($"{what}: play count {count} is negative; {whenUnknown}"));
                return null;
            case > MaxPlayCount:
                _warnings.Add(FormattableString.Invariant($"{what}: play count {count} is over {MaxPlayCount:N0}; clamped to {MaxPlayCount:N0}"));
                return MaxPlayCount;
            default:
                return count;
        }
    }

    /// <summary>Plays of one item listed twice (names that differ only in case or spacing) add up, within the bound.</summary>
    private static long Add(long current, long plays) => Math.Min(MaxPlayCount, current + plays);

    private static bool Usable(string name, string artist) => CatalogKey.IsUsable(name) && CatalogKey.IsUsable(artist);

    private static int? MinRank(int? current, int rank) => rank < 1 ? current : current is null ? rank : Math.Min(current.Value, rank);
}

public sealed record CatalogArtist(string Name, string Key, string? Mbid, string? Url);

/// <summary>An album or a track of the catalog: its artist's key, its name and its own key.</summary>
public sealed record CatalogItem(string ArtistKey, string Name, string Key, string? Mbid, string? Url);

/// <summary>The user's own tags on one item, deduplicated case-insensitively, kept in first-seen spelling.</summary>
public sealed class TagSet
{
    private readonly List<string> _tags = [];

    public void Add(string tag)
    {
        if (!_tags.Contains(tag, StringComparer.OrdinalIgnoreCase))
        {
            _tags.Add(tag);
        }
    }

    public string[] ToArray() => [.. _tags];
}

public sealed class TrackRow(string artistKey, string trackKey)
{
    public string ArtistKey { get; } = artistKey;

    public string TrackKey { get; } = trackKey;

    public long PlayCount { get; set; }

    public int? Rank { get; set; }

    public bool IsLoved { get; set; }

    public DateTimeOffset? LovedAt { get; set; }

    public TagSet Tags { get; } = new();
}

/// <summary>An album row (keyed by artist and album) or an artist row (the key is the artist's).</summary>
public sealed class KindRow(string artistKey, string key)
{
    public string ArtistKey { get; } = artistKey;

    public string Key { get; } = key;

    public long PlayCount { get; set; }

    public int? Rank { get; set; }

    public int LovedTracks { get; set; }

    public TagSet Tags { get; } = new();
}
