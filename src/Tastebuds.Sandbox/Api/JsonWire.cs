using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Tastebuds.Sandbox.Api;

/// Low-level pieces of Last.fm's wire format, written by hand with Utf8JsonWriter (no shared DTOs with the
/// client, so a client bug cannot be mirrored here). Non-ASCII is written raw, as Last.fm does.
internal static class JsonWire
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly string[] ImageSizes = ["small", "medium", "large", "extralarge", "mega"];
    private static readonly string[] ImageCodes = ["34s", "64s", "174s", "300x300", "300x300"];

    public static byte[] Write(Action<Utf8JsonWriter> body, bool escapeSlashes = false)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            body(writer);
        }

        return escapeSlashes ? EscapeSlashes(buffer.WrittenSpan) : buffer.WrittenSpan.ToArray();
    }

    /// Last.fm's PHP encoder writes '/' as '\/' in some responses. '/' only ever occurs inside JSON strings,
    /// so escaping every one of them is safe.
    public static byte[] EscapeSlashes(ReadOnlySpan<byte> json)
    {
        var output = new ArrayBufferWriter<byte>(json.Length + 64);
        foreach (var b in json)
        {
            if (b == (byte)'/')
            {
                output.Write("\\/"u8);
            }
            else
            {
                output.Write([b]);
            }
        }

        return output.WrittenSpan.ToArray();
    }

    public static string Str(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// `[{"#text":url,"size":"small"},...]`; sizes small..extralarge, plus mega for artists. Empty templates give "".
    public static void Images(Utf8JsonWriter w, string template, bool mega = false, bool sizeFirst = false)
    {
        w.WriteStartArray("image");
        for (var i = 0; i < (mega ? 5 : 4); i++)
        {
            var url = template.Replace("{size}", ImageCodes[i], StringComparison.Ordinal);
            w.WriteStartObject();
            if (sizeFirst)
            {
                w.WriteString("size", ImageSizes[i]);
                w.WriteString("#text", url);
            }
            else
            {
                w.WriteString("#text", url);
                w.WriteString("size", ImageSizes[i]);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// Tracks carry `streamable` as an object; artists carry it as the string "0".
    public static void StreamableObject(Utf8JsonWriter w)
    {
        w.WriteStartObject("streamable");
        w.WriteString("#text", "0");
        w.WriteString("fulltrack", "0");
        w.WriteEndObject();
    }

    public static void Rank(Utf8JsonWriter w, int rank)
    {
        w.WriteStartObject("@attr");
        w.WriteString("rank", Str(rank));
        w.WriteEndObject();
    }
}
