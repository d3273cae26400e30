using System.Globalization;
using System.Net;
using System.Text.Json;
using Tastebuds.Sandbox.World;
using static Tastebuds.Sandbox.Api.JsonWire;

namespace Tastebuds.Sandbox.Api;

/// One writer per item shape, in the key order of the recorded responses. Every number is a string. Names,
/// play counts and times go through <see cref="HostileValues"/>, honest unless a hostile fault is aimed at the user.
internal sealed class ItemWriters(HostileValues values)
{
    public HostileValues Values => values;

    public void TopTrack(Utf8JsonWriter w, SandboxPlayed<SandboxTrack> played, int rank)
    {
        var t = played.Item;
        w.WriteStartObject();
        values.Name(w, "name", t.Name);
        w.WriteString("duration", Str(t.DurationSeconds));
        values.Playcount(w, "playcount", played.Playcount);
        w.WriteString("mbid", t.Mbid);
        w.WriteString("url", t.Url);
        StreamableObject(w);
        ArtistRef(w, t.Artist);
        Images(w, t.ImageUrlTemplate);
        Rank(w, rank);
        w.WriteEndObject();
    }

    public void TopAlbum(Utf8JsonWriter w, SandboxPlayed<SandboxAlbum> played, int rank)
    {
        var a = played.Item;
        w.WriteStartObject();
        values.Name(w, "name", a.Name);
        values.Playcount(w, "playcount", played.Playcount);
        w.WriteString("mbid", a.Mbid);
        w.WriteString("url", a.Url);
        ArtistRef(w, a.Artist);
        Images(w, a.ImageUrlTemplate);
        Rank(w, rank);
        w.WriteEndObject();
    }

    public void TopArtist(Utf8JsonWriter w, SandboxPlayed<SandboxArtist> played, int rank)
    {
        w.WriteStartObject();
        WriteArtistBody(w, played.Item, played.Playcount);
        Rank(w, rank);
        w.WriteEndObject();
    }

    public void LovedTrack(Utf8JsonWriter w, SandboxLovedTrack loved, int rank)
    {
        var t = loved.Track;
        w.WriteStartObject();
        values.Name(w, "name", t.Name);
        w.WriteString("mbid", t.Mbid);
        w.WriteString("url", t.Url);
        Date(w, loved.LovedAt);
        ArtistRef(w, t.Artist);
        Images(w, t.ImageUrlTemplate);
        StreamableObject(w);
        w.WriteEndObject();
    }

    /// A scrobble of user.getRecentTracks: `artist` and `album` carry `#text`, not `name`.
    public void RecentTrack(Utf8JsonWriter w, SandboxLovedTrack scrobble, int rank)
    {
        var t = scrobble.Track;
        w.WriteStartObject();
        w.WriteStartObject("artist");
        values.Name(w, "#text", t.Artist.Name);
        w.WriteString("mbid", t.Artist.Mbid);
        w.WriteEndObject();
        values.Name(w, "name", t.Name);
        w.WriteString("streamable", "0");
        w.WriteString("mbid", t.Mbid);
        w.WriteStartObject("album");
        values.Name(w, "#text", t.Album.Name);
        w.WriteString("mbid", t.Album.Mbid);
        w.WriteEndObject();
        w.WriteString("url", t.Url);
        Images(w, t.ImageUrlTemplate);
        Date(w, scrobble.LovedAt);
        w.WriteEndObject();
    }

    public static void Tag(Utf8JsonWriter w, SandboxTagCount tag, int rank)
    {
        w.WriteStartObject();
        w.WriteString("name", tag.Name);
        w.WriteString("count", Str(tag.Count));
        w.WriteString("url", "https://www.last.fm/tag/" + WebUtility.UrlEncode(tag.Name));
        w.WriteEndObject();
    }

    public void Friend(Utf8JsonWriter w, SandboxUser friend, int rank)
    {
        w.WriteStartObject();
        w.WriteString("name", friend.Name);
        if (friend.RealName is not null)
        {
            // Real responses simply leave the key out when a profile has no real name.
            values.Name(w, "realname", friend.RealName);
        }

        Images(w, friend.ImageUrlTemplate);
        w.WriteString("url", friend.Url);
        w.WriteString("country", friend.Country);
        w.WriteString("age", "0");
        w.WriteString("gender", "n");
        w.WriteString("subscriber", "0");
        values.Playcount(w, "playcount", friend.Playcount);
        w.WriteString("playlists", "0");
        w.WriteString("bootstrap", "0");
        w.WriteStartObject("registered");
        w.WriteString("#text", friend.Registered.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        w.WriteString("unixtime", values.UnixTime(friend.Registered));
        w.WriteEndObject();
        w.WriteString("type", "user");
        w.WriteEndObject();
    }

    public void TaggedTrack(Utf8JsonWriter w, SandboxTrack t, int rank)
    {
        w.WriteStartObject();
        values.Name(w, "name", t.Name);
        w.WriteString("duration", Str(t.DurationSeconds));
        w.WriteString("mbid", t.Mbid);
        w.WriteString("url", t.Url);
        StreamableObject(w);
        ArtistRef(w, t.Artist);
        Images(w, t.ImageUrlTemplate);
        w.WriteEndObject();
    }

    public void TaggedAlbum(Utf8JsonWriter w, SandboxAlbum a, int rank)
    {
        w.WriteStartObject();
        values.Name(w, "name", a.Name);
        w.WriteString("mbid", a.Mbid);
        w.WriteString("url", a.Url);
        ArtistRef(w, a.Artist);
        Images(w, a.ImageUrlTemplate);
        w.WriteEndObject();
    }

    public void TaggedArtist(Utf8JsonWriter w, SandboxArtist a, int rank)
    {
        w.WriteStartObject();
        WriteArtistBody(w, a, null);
        w.WriteEndObject();
    }

    private void WriteArtistBody(Utf8JsonWriter w, SandboxArtist a, long? playcount)
    {
        values.Name(w, "name", a.Name);
        if (playcount is { } plays)
        {
            values.Playcount(w, "playcount", plays);
        }

        w.WriteString("mbid", a.Mbid);
        w.WriteString("url", a.Url);
        w.WriteString("streamable", "0");
        Images(w, a.ImageUrlTemplate, mega: true);
    }

    private void ArtistRef(Utf8JsonWriter w, SandboxArtist artist)
    {
        w.WriteStartObject("artist");
        values.Name(w, "name", artist.Name);
        w.WriteString("mbid", artist.Mbid);
        w.WriteString("url", artist.Url);
        w.WriteEndObject();
    }

    private void Date(Utf8JsonWriter w, DateTimeOffset at)
    {
        w.WriteStartObject("date");
        w.WriteString("uts", values.UnixTime(at));
        w.WriteString("#text", at.UtcDateTime.ToString("dd MMM yyyy, HH:mm", CultureInfo.InvariantCulture));
        w.WriteEndObject();
    }
}
