using Npgsql;
using Tastebuds.Core;
using Tastebuds.Core.Models;
using Tastebuds.Worker.Fetching;

namespace Tastebuds.Worker.Recommendations;

/// <summary>
/// The stored personal tags and friendships as the hybrid's side signals (docs/algorithms.md "Side signals"), read on
/// the caller's connection so that they come from the same snapshot as its interactions. Tags become (user, track, tag):
/// a track tag applies to that track (for the tagger, whether or not they hold it); an artist tag applies to each of
/// the tagger's own tracks by that artist, and an album tag likewise to the tagger's tracks by the album's artist (the
/// catalogue does not know which tracks an album holds). Names are matched as the fetch matched them
/// (<see cref="CatalogKey"/>), so a tag names the same artist and track the interactions do; a tag is one tag whatever
/// its case or spacing. Friend edges are read as stored (<c>user_friends</c>, sql/0013); Core makes them symmetric.
/// Read-only.
/// </summary>
public static class SideSignalLoader
{
    public static async Task<SideSignalRows> LoadAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var names = new List<TagName>();
        var tags = await TagsAsync(connection, names, ct);
        var friends = await FriendsAsync(connection, ct);
        return new SideSignalRows(tags, friends) { TagNames = names };
    }

    private static async Task<List<TagRow>> TagsAsync(NpgsqlConnection connection, List<TagName> names, CancellationToken ct)
    {
        var stored = new StoredTags();
        await using (var command = new NpgsqlCommand(
            """
            SELECT p.user_id, p.tag, p.kind, p.name, p.artist
            FROM user_personal_tags p JOIN lastfm_users u ON u.id = p.user_id
            WHERE u.is_active
            ORDER BY p.user_id, p.position
            """, connection))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                stored.Add(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    await reader.IsDBNullAsync(4, ct) ? null : reader.GetString(4));
            }
        }

        var rows = new List<TagRow>();
        names.AddRange(stored.Names);
        if (stored.Count == 0)
        {
            return rows;
        }

        await using (var command = new NpgsqlCommand(
            """
            WITH t AS (
                SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::boolean[], $4::text[], $5::text[])
                    AS t(user_id, tag_id, on_track, artist_key, track_key))
            SELECT t.user_id, tr.id, t.tag_id
            FROM t JOIN artists a ON a.name_key = t.artist_key
            JOIN tracks tr ON tr.artist_id = a.id AND tr.name_key = t.track_key
            WHERE t.on_track
            UNION
            SELECT t.user_id, i.track_id, t.tag_id
            FROM t JOIN artists a ON a.name_key = t.artist_key
            JOIN user_track_interactions i ON i.user_id = t.user_id
            JOIN tracks tr ON tr.id = i.track_id AND tr.artist_id = a.id
            WHERE NOT t.on_track
            ORDER BY 1, 2, 3
            """, connection)
        {
            Parameters =
            {
                new() { Value = stored.Users.ToArray() },
                new() { Value = stored.TagIds.ToArray() },
                new() { Value = stored.OnTrack.ToArray() },
                new() { Value = stored.ArtistKeys.ToArray() },
                new() { Value = stored.TrackKeys.ToArray() },
            },
        })
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                rows.Add(new TagRow(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)));
            }
        }

        return rows;
    }

    private static async Task<List<FriendRow>> FriendsAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var rows = new List<FriendRow>();
        await using var command = new NpgsqlCommand("SELECT user_id, friend_id FROM user_friends ORDER BY user_id, friend_id", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new FriendRow(reader.GetInt64(0), reader.GetInt64(1)));
        }

        return rows;
    }

    /// <summary>The stored tag rows as catalogue keys, each (user, tag, target) once; tags numbered in order of first use.</summary>
    private sealed class StoredTags
    {
        private readonly Dictionary<string, long> _tagIds = new(StringComparer.Ordinal);
        private readonly HashSet<(long, long, bool, string, string?)> _seen = [];

        public List<long> Users { get; } = [];

        /// <summary>Tag <c>t</c> (numbered from 1) is <c>Names[t - 1]</c>: its key and its first spelling seen.</summary>
        public List<TagName> Names { get; } = [];

        public List<long> TagIds { get; } = [];

        public List<bool> OnTrack { get; } = [];

        public List<string> ArtistKeys { get; } = [];

        public List<string?> TrackKeys { get; } = [];

        public int Count => Users.Count;

        public void Add(long user, string tag, string kind, string name, string? artist)
        {
            if (!CatalogKey.IsUsable(tag) || !CatalogKey.IsUsable(name) || (kind != "artist" && !CatalogKey.IsUsable(artist)))
            {
                return;
            }

            var onTrack = kind == "track";
            var artistKey = CatalogKey.Normalise(kind == "artist" ? name : artist!);
            var trackKey = onTrack ? CatalogKey.Normalise(name) : null;
            var tagKey = CatalogKey.Normalise(tag);
            if (!_tagIds.TryGetValue(tagKey, out var tagId))
            {
                tagId = _tagIds[tagKey] = _tagIds.Count + 1;
                Names.Add(new TagName(tagKey, tag.Trim()));
            }

            if (_seen.Add((user, tagId, onTrack, artistKey, trackKey)))
            {
                Users.Add(user);
                TagIds.Add(tagId);
                OnTrack.Add(onTrack);
                ArtistKeys.Add(artistKey);
                TrackKeys.Add(trackKey);
            }
        }
    }
}

/// <summary>
/// Stored personal tags on tracks and friend edges in database ids (users, tracks; tags numbered from 1 by the loader
/// until <see cref="TagRegistry"/> gives them their ids in the <c>tags</c> table).
/// </summary>
public sealed record SideSignalRows(IReadOnlyList<TagRow> Tags, IReadOnlyList<FriendRow> Friends)
{
    /// <summary>The loader's tag <c>t</c> is <c>TagNames[t - 1]</c>.</summary>
    public IReadOnlyList<TagName> TagNames { get; init; } = [];

    /// <summary>The rows in a matrix's indices; the tags only when the model recommends tracks (the kind they were mapped on).</summary>
    public SideSignals For(InteractionMatrix matrix, ItemKind kind) =>
        SideSignals.Create(matrix, kind, kind == ItemKind.Track ? Tags : null, Friends);
}

/// <summary>A tag's key (<see cref="CatalogKey.Normalise"/>: one tag whatever its case and spacing) and the spelling shown.</summary>
public sealed record TagName(string Key, string Name);
