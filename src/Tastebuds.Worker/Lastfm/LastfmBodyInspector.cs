using System.Text;
using System.Text.Json;

namespace Tastebuds.Worker.Lastfm;

/// <summary>What a body is, found in one forward-only pass without building a document.</summary>
internal readonly record struct LastfmBodyInspection(bool WellFormed, LastfmErrorCode? ErrorCode, string? ErrorMessage, string? Problem);

/// <summary>
/// Checks that a body is one complete JSON object (a cut-off body is not) and reads a top-level
/// <c>{"error": N, "message": "…"}</c> in either key order, with or without <c>links</c>.
/// </summary>
internal static class LastfmBodyInspector
{
    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    public static LastfmBodyInspection Inspect(ReadOnlySpan<byte> body)
    {
        if (body.StartsWith(Utf8Bom))
        {
            body = body[Utf8Bom.Length..];
        }

        if (body.IsEmpty)
        {
            return new(false, null, null, "empty body");
        }

        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return new(false, null, null, "not a JSON object");
            }

            LastfmErrorCode? code = null;
            string? message = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isError = reader.ValueTextEquals("error"u8);
                var isMessage = !isError && reader.ValueTextEquals("message"u8);
                reader.Read();
                if (isError && reader.TokenType is JsonTokenType.Number or JsonTokenType.String)
                {
                    code = (LastfmErrorCode)ReadInt(ref reader);
                }
                else if (isMessage && reader.TokenType == JsonTokenType.String)
                {
                    message = ReadString(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }

            // Reading past the end makes the reader reject trailing garbage and unclosed objects.
            while (reader.Read())
            {
            }

            return new(true, code, message, null);
        }
        catch (JsonException ex)
        {
            return new(false, null, null, ex.Message);
        }
    }

    /// <summary>A string token; one that .NET refuses (a lone surrogate escape) is repaired, not thrown.</summary>
    private static string ReadString(ref Utf8JsonReader reader)
    {
        try
        {
            return JsonStringRepair.Storable(reader.GetString() ?? string.Empty);
        }
        catch (InvalidOperationException)
        {
            // ValueSpan is the token without its quotes; the repair reads it as the parser's raw value, with them.
            var raw = reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan.ToArray();
            return JsonStringRepair.FromRawUtf8([(byte)'"', .. raw, (byte)'"']);
        }
    }

    private static int ReadInt(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var n))
        {
            return n;
        }

        // ReadString, not GetString: "error": "\ud800" must not throw out of the inspector.
        return int.TryParse(reader.TokenType == JsonTokenType.String ? ReadString(ref reader) : Encoding.UTF8.GetString(reader.ValueSpan),
            System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : -1;
    }
}
