using System.Data;
using Npgsql;
using Tastebuds.Core;
using Tastebuds.Core.HetRec;
using Tastebuds.Core.Models;
using Tastebuds.Sandbox.World;
using Tastebuds.Worker.Similarity;

namespace Tastebuds.Worker.Recommendations;

/// <summary>
/// Interactions for the offline evaluation, from the configured database (read-only), a generated sandbox world,
/// or the HetRec 2011 Last.fm 2K folder. Each source names the item kind it is evaluated on.
/// </summary>
public static class EvaluationSources
{
    public const string Database = "db";
    public const string Sandbox = "sandbox";
    public const string HetRec = "hetrec";

    public static readonly string[] All = [Database, Sandbox, HetRec];

    /// <summary>
    /// Only reads, in one snapshot: the interactions (one COPY), then the stored personal tags and friend edges as the
    /// recommendation stage reads them (<see cref="SideSignalLoader"/>); production tables are not touched.
    /// </summary>
    public static async Task<EvaluationData> FromDatabaseAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        var rows = await InteractionLoader.LoadAsync(connection, ct);
        var side = await SideSignalLoader.LoadAsync(connection, ct);
        await transaction.CommitAsync(ct);
        return new EvaluationData("database", ItemKind.Track, rows, side.Tags, side.Friends);
    }

    /// <summary>
    /// A generated world (<see cref="SandboxWorld.Generate"/>) as the worker would store it: top tracks, albums and
    /// artists with their plays, loved tracks (a loved track outside the top list is a row without plays), an album or
    /// artist loved when one of its tracks is. Private users are left out (their data is never fetched).
    /// </summary>
    public static EvaluationData FromSandbox(int users, long seed)
    {
        var world = SandboxWorld.Generate(users, seed);
        var ids = new Dictionary<(ItemKind, string, string), long>();
        long Id(ItemKind kind, string artist, string name) =>
            ids.TryGetValue((kind, artist, name), out var id) ? id : ids[(kind, artist, name)] = ids.Count + 1;

        var rows = new List<Interaction>();
        var tagged = new List<(long User, string Tag, string Artist, string Track)>();
        var userIds = world.Users.Select((u, n) => (u.Name, Id: n + 1L)).ToDictionary(p => p.Name, p => p.Id, StringComparer.Ordinal);
        var friends = new List<FriendRow>();
        var userId = 0L;
        foreach (var user in world.Users)
        {
            userId++;
            if (user.IsPrivate)
            {
                continue;
            }

            // As SideSignalLoader maps stored tags: a track tag to that track; an artist tag to the user's own tracks by the
            // artist; an album tag to the user's own tracks by the album's artist.
            var own = user.TopTracks.Select(t => t.Item).Concat(user.LovedTracks.Select(l => l.Track))
                .Select(t => (Artist: t.Artist.Name, t.Name)).Distinct().ToList();
            foreach (var tag in user.PersonalTags)
            {
                var artists = tag.Artists.Select(a => a.Name).Concat(tag.Albums.Select(a => a.Artist.Name)).ToHashSet(StringComparer.Ordinal);
                tagged.AddRange(tag.Tracks.Select(t => (t.Artist.Name, t.Name))
                    .Concat(own.Where(t => artists.Contains(t.Artist)))
                    .Distinct()
                    .Select(t => (userId, tag.Tag, t.Item1, t.Item2)));
            }

            friends.AddRange(user.Friends.Where(userIds.ContainsKey).Select(f => new FriendRow(userId, userIds[f])));

            var loved = user.LovedTracks.Select(l => l.Track).ToList();
            var lovedTracks = loved.Select(t => (t.Artist.Name, t.Name)).ToHashSet();
            var lovedAlbums = loved.Select(t => (t.Artist.Name, t.Album.Name)).ToHashSet();
            var lovedArtists = loved.Select(t => t.Artist.Name).ToHashSet();
            foreach (var t in user.TopTracks)
            {
                rows.Add(new Interaction(userId, ItemKind.Track, Id(ItemKind.Track, t.Item.Artist.Name, t.Item.Name), t.Playcount,
                    lovedTracks.Contains((t.Item.Artist.Name, t.Item.Name))));
            }

            foreach (var t in loved)
            {
                // Duplicates of top tracks merge in the matrix (plays add, loved wins).
                rows.Add(new Interaction(userId, ItemKind.Track, Id(ItemKind.Track, t.Artist.Name, t.Name), 0, true));
            }

            foreach (var a in user.TopAlbums)
            {
                rows.Add(new Interaction(userId, ItemKind.Album, Id(ItemKind.Album, a.Item.Artist.Name, a.Item.Name), a.Playcount,
                    lovedAlbums.Contains((a.Item.Artist.Name, a.Item.Name))));
            }

            foreach (var a in user.TopArtists)
            {
                rows.Add(new Interaction(userId, ItemKind.Artist, Id(ItemKind.Artist, a.Item.Name, string.Empty), a.Playcount,
                    lovedArtists.Contains(a.Item.Name)));
            }
        }

        // Track ids of tagged tracks are given after the interactions' so that the dense indices (and so the split)
        // are those of a world without tags. Tags on tracks nobody holds and private friends drop out of the matrix.
        var tagIds = new Dictionary<string, long>(StringComparer.Ordinal);
        var tags = tagged.Select(t => new TagRow(t.User, Id(ItemKind.Track, t.Artist, t.Track),
            tagIds.TryGetValue(t.Tag, out var known) ? known : tagIds[t.Tag] = tagIds.Count + 1)).ToList();
        return new EvaluationData($"sandbox world ({users} users, seed {seed})", ItemKind.Track, rows, tags, friends);
    }

    /// <summary>
    /// <c>DIR/user_artists.dat</c>: artists as items, listening counts as plays, no loves; with
    /// <c>user_taggedartists.dat</c> and <c>user_friends.dat</c> when they are present.
    /// </summary>
    public static EvaluationData FromHetRec(string folder)
    {
        var file = Path.Combine(folder, "user_artists.dat");
        using var reader = new StreamReader(file);
        var rows = HetRecReader.ReadUserArtists(reader).Select(r => r.ToInteraction()).ToList();
        var tags = ReadIfPresent(Path.Combine(folder, "user_taggedartists.dat"), HetRecReader.ReadUserTaggedArtists);
        var friends = ReadIfPresent(Path.Combine(folder, "user_friends.dat"), HetRecReader.ReadUserFriends);
        return new EvaluationData($"HetRec {file}", ItemKind.Artist, rows, tags, friends);
    }

    private static IReadOnlyList<T>? ReadIfPresent<T>(string file, Func<TextReader, IReadOnlyList<T>> read)
    {
        if (!File.Exists(file))
        {
            return null;
        }

        using var reader = new StreamReader(file);
        return read(reader);
    }
}

/// <summary>
/// Interactions to evaluate on, the kind that is held out and recommended, and where they came from; personal tags
/// and friendships when the source has them (null when it has not).
/// </summary>
public sealed record EvaluationData(
    string Description,
    ItemKind Kind,
    IReadOnlyList<Interaction> Rows,
    IReadOnlyList<TagRow>? Tags = null,
    IReadOnlyList<FriendRow>? Friends = null);
