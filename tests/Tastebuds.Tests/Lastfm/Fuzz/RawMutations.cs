using System.Text;

namespace Tastebuds.Tests.Lastfm.Fuzz;

/// <summary>Byte-level mutations of a whole body: cut off, garbage, invalid UTF-8 inside strings, flipped brackets, bad escapes.</summary>
internal static class RawMutations
{
    public static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    private static readonly byte[][] InvalidSequences =
    [
        [0xFF], [0xFE], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xE2, 0x82], [0x80], [0xF5, 0x80, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80],
        [0xC3], [0xF0, 0x9F, 0x98],
    ];

    private static readonly string[] BadEscapes = [@"\x41", @"\u12", @"\u12G4", @"\'", @"\U0041", "\\\n", "\u0001", "\t", "\\"];

    private static readonly byte[] Structural = "{}[]\":,\\0123456789aeE-+. "u8.ToArray();

    public static (byte[], string) Truncate(Random random, byte[] body)
    {
        var length = random.Next(body.Length);
        return (body[..length], $"raw-truncate: cut to {length} of {body.Length} bytes");
    }

    public static (byte[], string) Garbage(Random random, byte[] body)
    {
        var garbage = Enumerable.Range(0, 1 + random.Next(8))
            .Select(_ => random.Next(3) == 0 ? (byte)random.Next(256) : Structural[random.Next(Structural.Length)]).ToArray();
        var at = random.Next(body.Length + 1);
        return ([.. body[..at], .. garbage, .. body[at..]], $"raw-garbage: {Convert.ToHexString(garbage)} inserted at byte {at}");
    }

    public static (byte[], string) DeleteSpan(Random random, byte[] body)
    {
        var at = random.Next(body.Length + 1);
        var length = Math.Min(1 + random.Next(64), body.Length - at);
        return ([.. body[..at], .. body[(at + length)..]], $"raw-delete-span: {length} bytes at {at}");
    }

    public static (byte[], string) DuplicateSpan(Random random, byte[] body)
    {
        var at = random.Next(body.Length + 1);
        var span = body[at..Math.Min(body.Length, at + 1 + random.Next(64))];
        var to = random.Next(body.Length + 1);
        return ([.. body[..to], .. span, .. body[to..]], $"raw-duplicate-span: {span.Length} bytes from {at} inserted at {to}");
    }

    /// <summary>Mostly right after the opening quote of a string value, so the body stays well-formed JSON.</summary>
    public static (byte[], string) InvalidUtf8(Random random, byte[] body)
    {
        var sequence = InvalidSequences[random.Next(InvalidSequences.Length)];
        var starts = StringValueStarts(body);
        var at = starts.Count > 0 && random.Next(5) > 0 ? starts[random.Next(starts.Count)] : random.Next(body.Length + 1);
        return ([.. body[..at], .. sequence, .. body[at..]], $"raw-invalid-utf8: {Convert.ToHexString(sequence)} at byte {at}");
    }

    public static (byte[], string) BracketFlip(Random random, byte[] body)
    {
        var positions = Enumerable.Range(0, body.Length).Where(i => body[i] is (byte)'{' or (byte)'}' or (byte)'[' or (byte)']').ToList();
        if (positions.Count == 0)
        {
            return Garbage(random, body);
        }

        var at = positions[random.Next(positions.Count)];
        var flipped = body.ToArray();
        flipped[at] = "{}[]("u8[random.Next(5)];
        return (flipped, $"raw-bracket-flip: byte {at} '{(char)body[at]}' → '{(char)flipped[at]}'");
    }

    public static (byte[], string) Edges(Random random, byte[] body)
    {
        string[] prefixes = ["\uFEFF", "\uFEFF\uFEFF", " \n\t", "\0", " \uFEFF"];
        string[] suffixes = [" ", "\n", "}", "]", ",", "{}", "\0", "null"];
        if (random.Next(2) == 0)
        {
            var prefix = prefixes[random.Next(prefixes.Length)];
            return ([.. Encoding.UTF8.GetBytes(prefix), .. body], $"raw-edges: prefixed {Escape(prefix)}");
        }

        var suffix = random.Next(10) == 0 ? Encoding.UTF8.GetString(body) : suffixes[random.Next(suffixes.Length)];
        return ([.. body, .. Encoding.UTF8.GetBytes(suffix)], $"raw-edges: suffixed {(suffix.Length > 10 ? "a second copy of the body" : Escape(suffix))}");
    }

    public static (byte[], string) BadEscape(Random random, byte[] body)
    {
        var escape = BadEscapes[random.Next(BadEscapes.Length)];
        var starts = StringValueStarts(body);
        var at = starts.Count > 0 ? starts[random.Next(starts.Count)] : random.Next(body.Length + 1);
        return ([.. body[..at], .. Encoding.UTF8.GetBytes(escape), .. body[at..]], $"raw-bad-escape: {Escape(escape)} at byte {at}");
    }

    /// <summary>Offsets just past <c>":"</c> or <c>": "</c>: the first byte inside a string value.</summary>
    private static List<int> StringValueStarts(byte[] body)
    {
        var starts = new List<int>();
        for (var i = 0; i + 2 < body.Length; i++)
        {
            if (body[i] == '"' && body[i + 1] == ':')
            {
                var quote = body[i + 2] == ' ' ? i + 3 : i + 2;
                if (quote < body.Length && body[quote] == '"')
                {
                    starts.Add(quote + 1);
                }
            }
        }

        return starts;
    }

    private static string Escape(string text) => string.Concat(text.Select(c => c is < ' ' or '\uFEFF' ? $"\\u{(int)c:x4}" : c.ToString()));
}
