using System.Globalization;
using System.Text;

namespace Tastebuds.Worker.Cli;

/// <summary>
/// Text from outside (Last.fm names, database rows, exception messages) made safe to print on a terminal: a
/// username holding <c>ESC [ 2 J</c> would clear the operator's screen, one holding a newline would forge a table row.
/// Control characters become visible escapes (<c>\e</c>, <c>\n</c>, <c>\r</c>, <c>\t</c>, else <c>\u001B</c> style:
/// C0, DEL, C1), as do the bidirectional overrides and isolates (they reorder the rest of the line), the line and
/// paragraph separators and unpaired surrogates. Everything else, accents, CJK and emoji (with their joiners and
/// variation selectors) included, is printed as it is. A backslash is left alone: names are read, not parsed back.
/// </summary>
internal static class TerminalText
{
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text) || !text.Any(NeedsEscape))
        {
            return text ?? "";
        }

        var escaped = new StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                escaped.Append(c).Append(text[++i]);
                continue;
            }

            _ = c switch
            {
                '\u001B' => escaped.Append(@"\e"),
                '\n' => escaped.Append(@"\n"),
                '\r' => escaped.Append(@"\r"),
                '\t' => escaped.Append(@"\t"),
                _ when NeedsEscape(c) => escaped.Append(CultureInfo.InvariantCulture, $@"\u{(int)c:X4}"),
                _ => escaped.Append(c),
            };
        }

        return escaped.ToString();
    }

    /// <summary>Each line escaped, the line breaks kept: for messages that are several lines by design (a server log's tail).</summary>
    public static string EscapeLines(string? text) =>
        string.Join('\n', (text ?? "").Split('\n').Select(line => Escape(line.TrimEnd('\r'))));

    private static bool NeedsEscape(char c) =>
        char.IsControl(c)                     // C0, DEL, C1
        || c is >= '\u202A' and <= '\u202E'   // bidi embeddings and overrides
        || c is >= '\u2066' and <= '\u2069'   // bidi isolates
        || c is '\u2028' or '\u2029'          // line and paragraph separators
        || char.IsSurrogate(c);               // checked in pairs by Escape; alone they are garbage
}
