using System.Globalization;
using System.Text;

namespace Tastebuds.Tests.Lastfm.Fuzz;

/// <summary>
/// The hostile values, as raw JSON text: written into a body as they are, so they can hold what System.Text.Json
/// will not write (a lone surrogate escape, a number too large for a double, a duplicate key, 100,000 levels).
/// </summary>
internal static class FuzzValues
{
    /// <summary>Counts and paging values: huge, negative, fractional, not numbers at all, numbers as odd strings.</summary>
    public static readonly string[] AbsurdNumbers =
    [
        "1e30", "-1e30", "1e400", "-1e400", "-1", "-5", "0", "-0", "0.5", "1E+2", "99999999999999999999", "-99999999999999999999",
        "9223372036854775807", "9223372036854775808", "-9223372036854775809", "2147483647", "2147483648", "1000000000", "1000000001",
        "\"99999999999999999999\"", "\"-99999999999999999999\"", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "\"1e30\"", "\"1e400\"",
        "\"\"", "\" \"", "\" 12 \"", "\"12abc\"", "\"0x1F\"", "\"1,000\"", "\"+7\"", "\"-1\"", "\"1000000001\"", "\"\\u0663\"",
        "\"1\\u0000\"", "\"\\ud800\"", "{\"#text\":\"1e30\"}", "{\"#text\":-3}", "[]", "[7]", "null", "true",
    ];

    /// <summary>Unix times: the far future, before Last.fm, around its first day, not numbers, odd shapes.</summary>
    public static string[] Timestamps()
    {
        var now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        string N(long seconds) => seconds.ToString(CultureInfo.InvariantCulture);
        return
        [
            "99999999999999", "\"99999999999999\"", "-5", "\"-5\"", "\"abc\"", "0", "1", "\"1009843199\"", "1009843200", N(now + (2 * 86_400)),
            $"\"{N(now - 1)}\"", "\"1e10\"", "1e10", "9223372036854775807", "-9223372036854775808", "\" 1541779771 \"", "1541779771.9",
            "\"\"", "null", "{}", "{\"#text\":\"1541779771\"}", "[1541779771]", "\"09 Nov 2018, 16:09\"", "1e400", "\"\\u0000\"",
        ];
    }

    /// <summary>Escapes and characters that break strings: lone surrogates, NUL, non-characters, invisible and odd whitespace.</summary>
    public static readonly string[] StringFragments =
    [
        @"\ud800", @"\udfff", @"\udbff", @"\ud800\ud800", @"\udfff\ud800", @"\u0000", @"\u0000\u0000", @"\ufffe", @"\uffff",
        @"\u200b", @"\t", @"\n", " ", @"\u00a0", @"\u3000", @"\ud83d\ude00", @"\""", @"\\", "e\u0301", "\u212B", @"\u0085",
    ];

    /// <summary>Values a user name or an @attr user can take: someone else, blank, the same user spelled otherwise, not a string.</summary>
    public static readonly string[] Users =
    [
        "\"someone-else\"", "\"\"", "\"   \"", "\"rj\"", "\" RJ \"", "\"R\\u0000J\"", "\"R\\ud800J\"", "123", "null", "{\"#text\":\"RJ\"}", "\"Zaratoustre\"", "[]",
    ];

    /// <summary>Replacements for an object: the empty shapes Last.fm uses for "nothing" and a few it does not.</summary>
    public static readonly string[] EmptyObjects = ["\"\"", "\"\\n    \"", "[]", "{}", "0", "null", "\"0\"", "false", "[{}]"];

    private static readonly Lazy<string[]> LongStrings = new(() =>
    [
        Quoted(new string('a', 100_000)), Quoted(new string('é', 100_000)), Quoted(Repeat("😀", 50_000)), Quoted(new string(' ', 100_000)),
        Quoted(Repeat(@"\u0000", 100_000)), Quoted(Repeat(@"\ud800", 20_000)), Quoted(Repeat(@"\u00a0", 100_000)),
        Quoted("Fire" + Repeat(@"\t", 100_000)), Quoted(Repeat("e\u0301", 50_000)),
    ]);

    /// <summary>Strings of 100,000 characters (or escapes): plain, multi-byte, blank, all NUL, all lone surrogates.</summary>
    public static IReadOnlyList<string> Long => LongStrings.Value;

    /// <summary>Nesting of the given depth around a scalar: arrays, <c>#text</c> objects, or names in lists.</summary>
    public static string Nested(int depth, int shape) => shape switch
    {
        0 => Repeat("[", depth) + "1" + Repeat("]", depth),
        1 => Repeat("{\"#text\":", depth) + "\"x\"" + Repeat("}", depth),
        _ => Repeat("{\"name\":[", depth) + "\"x\"" + Repeat("]}", depth),
    };

    public static readonly int[] Depths = [2, 5, 58, 62, 63, 64, 65, 200, 10_000, 100_000];

    private static string Quoted(string content) => "\"" + content + "\"";

    private static string Repeat(string text, int count) => new StringBuilder(text.Length * count).Insert(0, text, count).ToString();
}
