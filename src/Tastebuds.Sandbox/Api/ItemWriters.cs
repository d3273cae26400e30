using System.Globalization;
using System.Net;
using System.Text.Json;
using Tastebuds.Sandbox.World;
using static Tastebuds.Sandbox.Api.JsonWire;

namespace Tastebuds.Sandbox.Api;

/// One writer per item shape, in the key order of the recorded responses. Every number is a string.
internal static class ItemWriters
{
    public static void TopTrack(Utf8JsonWriter w, SandboxPlayed<SandboxTrack> played, int rank)
    {
        var t = played.Item;
        w.WriteStartObject();
        w.WriteString("name", t.Name);
        w.WriteString("duration", Str(t.DurationSeconds));
        w.WriteString("playcount", Str(played.Playcount));
        w.WriteString("mbid", t.Mbid);
        w.WriteString("url", t.Url);
        StreamableObject(w);
        ArtistRef(w, t.Artist);
        Images(w, t.ImageUrlTemplate);
        Rank(w, rank);
        w.WriteEndObject();
    }

    public static void TopAlbum(Utf8JsonWriter w, SandboxPlayed<SandboxAlbum> played, int rank)
    {
        var a = played.Item;
        w.WriteStartObject();
        w.WriteString("name", a.Name);
        w.WriteString("playcount", Str(played.Playcount));
        w.WriteString("mbid", a.Mbid);
        w.WriteString("url", a.Url);
        ArtistRef(w, a.Artist);
        Images(w, a.ImageUrlTemplate);
        Rank(w, rank);
        w.WriteEndObject();
    }

    public static void TopArtist(Utf8JsonWriter w, SandboxPlayed<SandboxArtist> played, int rank)
    {
        w.WriteStartObject();
        WriteArtistBody(w, played.Item, played.Playcount);
        Rank(w, rank);
        w.WriteEndObject();
    }

    public static void LovedTrack(Utf8JsonWriter w, SandboxLovedTrack loved, int rank)
    {
        var t = loved.Track;
        w.WriteStartObject();
        w.WriteString("name", t.Name);
        w.WriteString("mbid", t.Mbid);
        w.WriteString("url", t.Url);
        w.WriteStartObject("date");
        w.WriteString("uts", Str(loved.LovedAt.ToUnixTimeSeconds()));
        w.WriteString("#text", loved.LovedAt.UtcDateTime.ToString("dd MMM yyyy, HH:mm", CultureInfo.InvariantCulture));
        w.WriteEndObject();
        ArtistRef(w, t.Artist);
        Images(w, t.ImageUrlTemplate);
        StreamableObject(w);
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

    public static void Friend(Utf8JsonWriter w, SandboxUser friend, int rank)
    {
        w.WriteStartObject();
        w.WriteString("name", friend.Name);
        if (friend.RealName is not null)
        {
            // Real responses simply leave the key out when a profile has no real name.
            w.WriteString("realname", friend.RealName);
        }

        Images(w, friend.ImageUrlTemplate);
        w.WriteString("url", friend.Url);
        w.WriteString("country", friend.Country);
        w.WriteString("age", "0");
        w.WriteString("gender", "n");
        w.WriteString("subscriber", "0");
        w.WriteString("playcount", Str(friend.Playcount));
        w.WriteString("playlists", "0");
        w.WriteString("bootstrap", "0");
        w.WriteStartObject("registered");
        w.WriteString("#text", friend.Registered.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        w.WriteString("unixtime", Str(friend.Registered.ToUnixTimeSeconds()));
        w.WriteEndObject();
        w.WriteString("type", "user");
        w.WriteEndObject();
    }

    public static void TaggedTrack(Utf8JsonWriter w, SandboxTrack t, int rank)
    {
        w.WriteStartObject();
        w.WriteString("name", t.Name);
        w.WriteString("duration", Str(t.DurationSeconds));
        w.WriteString("mbid", t.Mbid);
        w.WriteString("url", t.Url);
        StreamableObject(w);
        ArtistRef(w, t.Artist);
        Images(w, t.ImageUrlTemplate);
        w.WriteEndObject();
    }

    public static void TaggedAlbum(Utf8JsonWriter w, SandboxAlbum a, int rank)
    {
        w.WriteStartObject();
        w.WriteString("name", a.Name);
        w.WriteString("mbid", a.Mbid);
        w.WriteString("url", a.Url);
        ArtistRef(w, a.Artist);
        Images(w, a.ImageUrlTemplate);
        w.WriteEndObject();
    }

    public static void TaggedArtist(Utf8JsonWriter w, SandboxArtist a, int rank)
    {
        w.WriteStartObject();
        WriteArtistBody(w, a, null);
        w.WriteEndObject();
    }

    private static void WriteArtistBody(Utf8JsonWriter w, SandboxArtist a, long? playcount)
    {
        w.WriteString("name", a.Name);
        if (playcount is { } plays)
        {
            w.WriteString("playcount", Str(plays));
        }

        w.WriteString("mbid", a.Mbid);
        w.WriteString("url", a.Url);
        w.WriteString("streamable", "0");
        Images(w, a.ImageUrlTemplate, mega: true);
    }
}
