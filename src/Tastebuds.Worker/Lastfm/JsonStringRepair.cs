using System.Globalization;
using System.Text;

namespace Tastebuds.Worker.Lastfm;

/// <summary>Turns the raw text of a JSON string that .NET refuses (a lone surrogate escape) into a storable string.</summary>
internal static class JsonStringRepair
{
    private const char Replacement = '\uFFFD';

    /// <summary>
    /// A string token .NET refuses to read (a lone surrogate escape, bytes that are not UTF-8), from its raw UTF-8 bytes
    /// quotes included, made storable: invalid bytes and lone surrogates become U+FFFD, NULs are removed.
    /// </summary>
    public static string FromRawUtf8(ReadOnlySpan<byte> quoted) => Storable(Unescape(Encoding.UTF8.GetString(quoted)));

    /// <summary>Unescapes a JSON string token, quotes included (well-formed: the document parsed), keeping lone surrogates.</summary>
    public static string Unescape(string raw)
    {
        var builder = new StringBuilder(raw.Length);
        for (var i = 1; i < raw.Length - 1; i++)
        {
            var c = raw[i];
            if (c != '\\' || i + 1 >= raw.Length - 1)
            {
                builder.Append(c);
                continue;
            }

            var escape = raw[++i];
            switch (escape)
            {
                case 'u' when i + 4 < raw.Length
                              && ushort.TryParse(raw.AsSpan(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code):
                    builder.Append((char)code);
                    i += 4;
                    break;
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case 'n': builder.Append('\n'); break;
                case 'r': builder.Append('\r'); break;
                case 't': builder.Append('\t'); break;
                default: builder.Append(escape); break;
            }
        }

        return builder.ToString();
    }

    /// <summary>Lone surrogates become U+FFFD and NUL characters are removed; anything else is kept as it is.</summary>
    public static string Storable(string text)
    {
        if (!NeedsRepair(text))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
            {
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
            }
            else
            {
                builder.Append(char.IsSurrogate(c) ? Replacement : c);
            }
        }

        return builder.ToString();
    }

    private static bool NeedsRepair(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
            {
                return true;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return true;
            }
        }

        return false;
    }
}
