using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Tastebuds.Sandbox.World;

/// <summary>
/// Everything the sandbox serves, as plain data a test can compare a database against item by item.
/// Build one with <see cref="Generate"/> (seeded, reproducible byte for byte) or <see cref="LoadHetRec"/>.
/// </summary>
public sealed class SandboxWorld
{
    private readonly Dictionary<string, SandboxUser> _byName;

    internal SandboxWorld(long seed, string source, IReadOnlyList<SandboxUser> users, IReadOnlyList<string> missingUsernames)
    {
        Seed = seed;
        Source = source;
        Users = users;
        MissingUsernames = missingUsernames;
        _byName = users.ToDictionary(u => u.Name, StringComparer.OrdinalIgnoreCase);
        PrivateUsernames = users.Where(u => u.IsPrivate).Select(u => u.Name).ToArray();
    }

    /// <summary>How many weeks the world was advanced from the generated or loaded one (<see cref="AdvanceWeeks"/>).</summary>
    public int Week { get; init; }

    /// <summary>The world's "now": fixed at generation (2025-06-01 UTC) and moved a week by each week advanced.</summary>
    public DateTimeOffset Now => WorldGenerator.WorldNow.AddDays(7 * Week);

    /// <summary>Users whose listening (play counts, top lists, loves) the last <see cref="AdvanceWeeks"/> changed; empty for a new world.</summary>
    public IReadOnlyList<string> ChangedUsernames { get; init; } = [];

    /// <summary>Users the last <see cref="AdvanceWeeks"/> added; empty for a new world.</summary>
    public IReadOnlyList<string> AddedUsernames { get; init; } = [];

    /// <summary>The seed the world (and the server's fault schedule) derive from.</summary>
    public long Seed { get; }

    /// <summary>"generated" or "hetrec2011-lastfm-2k".</summary>
    public string Source { get; }

    /// <summary>All users, private ones included, in a stable order.</summary>
    public IReadOnlyList<SandboxUser> Users { get; }

    /// <summary>Users whose data methods answer error 17.</summary>
    public IReadOnlyList<string> PrivateUsernames { get; }

    /// <summary>Plausible usernames that do not exist (error 6, HTTP 404), for configuring a worker with bad names.</summary>
    public IReadOnlyList<string> MissingUsernames { get; }

    /// <summary>Generates a world of <paramref name="users"/> users in taste clusters; the same arguments give the same world.</summary>
    /// <param name="users">Number of users (≥ 1).</param>
    /// <param name="seed">Seed of every random choice.</param>
    /// <param name="privateFraction">Share of users that are private (error 17).</param>
    /// <param name="missingUsernames">How many non-existent usernames to list in <see cref="MissingUsernames"/>.</param>
    public static SandboxWorld Generate(int users, long seed, double privateFraction = 0.03, int missingUsernames = 5) =>
        WorldGenerator.Generate(users, seed, privateFraction, missingUsernames);

    /// <summary>
    /// Loads the HetRec 2011 Last.fm 2K folder: users are <c>hetrec_&lt;userID&gt;</c>, their artists (weights as play
    /// counts) are the top artists, friends come from user_friends.dat, personal tags (type artist) from
    /// user_taggedartists.dat. There are no tracks, albums or loved tracks, and no private users.
    /// </summary>
    public static SandboxWorld LoadHetRec(string folder, long seed = 42, int missingUsernames = 5) =>
        HetRecLoader.Load(folder, seed, missingUsernames);

    /// <summary>
    /// This world <paramref name="weeks"/> weeks later, as a new world (this one is left as it is): each week a share of
    /// the users listen more (more plays, sometimes a new track, often a love or an unlove; a fifth of them only change
    /// a love), the others do not change at all, and new users appear. Seeded: the same world advanced the same way is
    /// the same world. Personal tags, friends and profiles do not change. <see cref="ChangedUsernames"/> and
    /// <see cref="AddedUsernames"/> of the result say what moved.
    /// </summary>
    /// <param name="weeks">Weeks to advance (≥ 0).</param>
    /// <param name="changedFraction">Share of the users that change each week (0..1). Default 0.2.</param>
    /// <param name="newUserFraction">New users each week, as a share of the users (0..1). Default 0.01.</param>
    public SandboxWorld AdvanceWeeks(int weeks, double changedFraction = 0.2, double newUserFraction = 0.01) =>
        WorldAdvancer.Advance(this, weeks, changedFraction, newUserFraction);

    /// <summary>The user called <paramref name="name"/> (case-insensitive), or null.</summary>
    public SandboxUser? FindUser(string name) => _byName.GetValueOrDefault(name.Trim());

    /// <summary>SHA-256 (hex) over a canonical dump of every user and item: equal fingerprints mean equal worlds.</summary>
    public string ComputeFingerprint()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var line = new StringBuilder();
        void Add(string text)
        {
            line.Append(text).Append('\u001f');
        }

        foreach (var user in Users)
        {
            Add(user.Name); Add(user.RealName ?? "\0"); Add(user.Country); Add(Num(user.Playcount));
            Add(Num(user.Registered.ToUnixTimeSeconds())); Add(user.Url); Add(user.ImageUrlTemplate); Add(user.IsPrivate ? "p" : "-");
            foreach (var t in user.TopTracks)
            {
                Add(t.Item.Artist.Name); Add(t.Item.Name); Add(t.Item.Mbid); Add(t.Item.Album.Name); Add(Num(t.Item.DurationSeconds)); Add(Num(t.Playcount));
            }

            foreach (var a in user.TopAlbums)
            {
                Add(a.Item.Artist.Name); Add(a.Item.Name); Add(a.Item.Mbid); Add(Num(a.Playcount));
            }

            foreach (var a in user.TopArtists)
            {
                Add(a.Item.Name); Add(a.Item.Mbid); Add(a.Item.ImageUrlTemplate); Add(Num(a.Playcount));
            }

            foreach (var l in user.LovedTracks)
            {
                Add(l.Track.Artist.Name); Add(l.Track.Name); Add(Num(l.LovedAt.ToUnixTimeSeconds()));
            }

            foreach (var tag in user.PersonalTags)
            {
                Add(tag.Tag);
                foreach (var t in tag.Tracks) { Add(t.Name); }
                foreach (var a in tag.Albums) { Add(a.Name); }
                foreach (var a in tag.Artists) { Add(a.Name); }
            }

            foreach (var tag in user.TopTags) { Add(tag.Name); Add(Num(tag.Count)); }
            foreach (var friend in user.Friends) { Add(friend); }
            line.Append('\n');
            hash.AppendData(Encoding.UTF8.GetBytes(line.ToString()));
            line.Clear();
        }

        foreach (var missing in MissingUsernames) { Add(missing); }
        hash.AppendData(Encoding.UTF8.GetBytes(line.ToString()));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);
}
