using System.Reflection;
using Tastebuds.Worker.Fetching;
using Tastebuds.Worker.Lastfm;

namespace Tastebuds.Tests.Lastfm.Fuzz;

/// <summary>
/// What SnapshotStore writes must fit the schema and PostgreSQL text: counts within 0..MaxPlayCount, ranks null
/// or ≥ 1, timestamps null or 2002..tomorrow, text without NUL or unpaired surrogates, names and keys not blank,
/// every interaction row's item in the catalog (the store looks its id up by key). Each break is one line.
/// </summary>
internal static class StoreBounds
{
    private static readonly DateTimeOffset Earliest = new(2002, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static IEnumerable<string> Violations(MergedSnapshot merged)
    {
        var latest = TimeProvider.System.GetUtcNow().AddDays(1);
        var profile = merged.Snapshot.Profile;
        var artists = merged.Artists.Select(a => a.Key).ToHashSet(StringComparer.Ordinal);
        var albums = merged.Albums.Select(a => (a.ArtistKey, a.Key)).ToHashSet();
        var tracks = merged.Tracks.Select(t => (t.ArtistKey, t.Key)).ToHashSet();
        IEnumerable<string?> checks =
        [
            Count("TotalPlaycount", merged.TotalPlaycount), Name("profile Name", profile.Name), Text("profile RealName", profile.RealName),
            Text("profile Country", profile.Country), Text("profile Url", profile.Url), Text("profile ImageUrl", profile.ImageUrl),
            Time("profile Registered", profile.Registered, latest),
            .. merged.Snapshot.Friends.Select(f => Text("friend", f)),
            .. merged.Artists.SelectMany(a => new[] { Name("artist Name", a.Name), Name("artist Key", a.Key), Mbid("artist", a.Mbid), Text("artist Url", a.Url) }),
            .. merged.Albums.Concat(merged.Tracks).SelectMany(i => Item(i, artists)),
            .. merged.TrackRows.SelectMany(r => Row("track row", r.ArtistKey, r.TrackKey, r.PlayCount, r.Rank, r.Tags, 0)
                .Append(Time("track row LovedAt", r.LovedAt, latest))
                .Append(tracks.Contains((r.ArtistKey, r.TrackKey)) ? null : $"track row ({Show(r.ArtistKey)}, {Show(r.TrackKey)}) has no catalog track")),
            .. merged.AlbumRows.SelectMany(r => Row("album row", r.ArtistKey, r.Key, r.PlayCount, r.Rank, r.Tags, r.LovedTracks)
                .Append(albums.Contains((r.ArtistKey, r.Key)) ? null : $"album row ({Show(r.ArtistKey)}, {Show(r.Key)}) has no catalog album")),
            .. merged.ArtistRows.SelectMany(r => Row("artist row", r.ArtistKey, r.Key, r.PlayCount, r.Rank, r.Tags, r.LovedTracks)
                .Append(artists.Contains(r.Key) ? null : $"artist row {Show(r.Key)} has no catalog artist")),
        ];
        return checks.OfType<string>();
    }

    /// <summary>Every string and timestamp of a parse result (records and pages of records), whether or not it is stored.</summary>
    public static IEnumerable<string> ParsedViolations(object parsed)
    {
        var latest = TimeProvider.System.GetUtcNow().AddDays(1);
        var records = parsed.GetType().GetProperty("Items")?.GetValue(parsed) is System.Collections.IEnumerable items
            ? items.Cast<object>()
            : [parsed];

        foreach (var record in records)
        {
            foreach (var property in record.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var problem = property.GetValue(record) switch
                {
                    string s => Text($"{record.GetType().Name}.{property.Name}", s),
                    DateTimeOffset t => Time($"{record.GetType().Name}.{property.Name}", t, latest),
                    _ => null,
                };
                if (problem is not null)
                {
                    yield return problem;
                }
            }
        }
    }

    /// <summary>No NUL and no unpaired surrogate: what PostgreSQL text (UTF-8) can hold. Written without the product's helper.</summary>
    public static bool IsStorable(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\0' || char.IsLowSurrogate(text[i]))
            {
                return false;
            }

            if (char.IsHighSurrogate(text[i]))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return false;
                }

                i++;
            }
        }

        return true;
    }

    private static IEnumerable<string?> Item(CatalogItem item, HashSet<string> artists) =>
    [
        Name("item ArtistKey", item.ArtistKey), Name("item Name", item.Name), Name("item Key", item.Key), Mbid("item", item.Mbid), Text("item Url", item.Url),
        artists.Contains(item.ArtistKey) ? null : $"item '{Show(item.Name)}' has no catalog artist {Show(item.ArtistKey)}",
    ];

    private static IEnumerable<string?> Row(string what, string artistKey, string key, long plays, int? rank, TagSet tags, int loves) =>
    [
        Name($"{what} ArtistKey", artistKey), Name($"{what} Key", key), Count($"{what} PlayCount", plays),
        rank is null or >= 1 ? null : $"{what} {Show(key)}: rank {rank} < 1",
        loves >= 0 ? null : $"{what} {Show(key)}: loved tracks {loves} < 0",
        .. tags.ToArray().Select(t => Name($"{what} tag", t)),
    ];

    private static string? Count(string what, long value) =>
        value is >= 0 and <= MergedSnapshot.MaxPlayCount ? null : $"{what} {value} outside 0..{MergedSnapshot.MaxPlayCount}";

    private static string? Name(string what, string? value) =>
        string.IsNullOrWhiteSpace(value) ? $"{what} is blank: {Show(value)}" : Text(what, value);

    private static string? Text(string what, string? value) =>
        value is null || IsStorable(value) ? null : $"{what} has NUL or an unpaired surrogate: {Show(value)}";

    private static string? Mbid(string what, string? mbid) => mbid is { Length: 0 } ? $"{what} mbid is empty, not null" : Text($"{what} mbid", mbid);

    private static string? Time(string what, DateTimeOffset? value, DateTimeOffset latest) =>
        value is null || (value >= Earliest && value <= latest) ? null : $"{what} {value:O} outside 2002-01-01..{latest:O}";

    /// <summary>A value for a failure message: escaped, and cut short (some are 100,000 characters).</summary>
    public static string Show(string? value) => value is null
        ? "null"
        : string.Concat(value.Take(80).Select(c => c < ' ' || char.IsSurrogate(c) || c > '\uFFFD' ? $"\\u{(int)c:x4}" : c.ToString()))
          + (value.Length > 80 ? $"…({value.Length} chars)" : "");
}
