using System.Net;
using System.Text;

namespace Tastebuds.Sandbox.World;

/// Names that exercise a client's normalisation: non-ASCII (é, ß, ★, CJK), '&amp;', '/', '+', quotes,
/// and common titles shared by different artists. Every name is canonical for its item.
internal sealed class NameGenerator(SeededRandom random)
{
    private static readonly string[] Onsets = ["b", "br", "c", "d", "dr", "f", "g", "gl", "h", "j", "k", "l", "m", "n", "p", "r", "s", "st", "t", "tr", "v", "w", "z", "th", "sh"];
    private static readonly string[] Vowels = ["a", "e", "i", "o", "u", "ae", "ou", "y"];
    private static readonly string[] Codas = ["", "", "n", "r", "s", "l", "x", "th", "m"];
    private static readonly string[] FirstNames = ["Ana", "Mickaël", "Édouard", "Zoë", "Jürgen", "Søren", "Lucía", "Tom", "Kenji", "Amara", "Olu", "Maya", "Chen", "Ines", "Jonas", "Priya", "Nils", "Björk", "José", "Hana", "Sam", "Leila", "Marta", "Yusuf"];
    private static readonly string[] LastNames = ["Lopes", "Müller", "Dubois", "Tanaka", "Okafor", "Smith", "Nowak", "García", "Kowalski", "Ivanova", "Haddad", "Brennan", "Straße", "O'Neil", "Nakamura", "Silva"];
    private static readonly string[] Cjk = ["東", "京", "夜", "空", "音", "楽", "花", "火", "青", "春", "少", "女", "桜", "雨", "月", "光", "서", "울", "밤", "별"];
    private static readonly string[] CommonTitles = ["Intro", "Home", "Stay", "Hold On", "Runaway", "Angel", "Forever", "Outro", "Sunday Morning", "Fire", "Don't Stop", "Heartbeats"];
    private static readonly string[] Adjectives = ["quiet", "velvet", "neon", "lazy", "cosmic", "rusty", "silent", "golden", "wild", "paper", "lunar", "indie"];
    private static readonly string[] Nouns = ["harbor", "moth", "fox", "kid", "tape", "wave", "owl", "river", "ghost", "echo", "panda", "vinyl"];

    public string Word()
    {
        var text = new StringBuilder();
        var syllables = random.Next(1, 4);
        for (var i = 0; i < syllables; i++)
        {
            text.Append(random.Pick(Onsets)).Append(random.Pick(Vowels));
        }

        text.Append(random.Pick(Codas));
        text[0] = char.ToUpperInvariant(text[0]);
        return text.ToString();
    }

    public string Person() => $"{random.Pick(FirstNames)} {random.Pick(LastNames)}";

    public string Artist() => random.Next(16) switch
    {
        0 => $"The {Word()}s",
        1 => $"{Word()} & the {Word()}s",
        2 => $"DJ {Word()}",
        3 => $"{Word()}/{Word()}",
        4 => $"{Word()} + {Word()}",
        5 => $"\"{Word()}\" {Word()}",
        6 => $"{Word()}é {Word()}",
        7 => $"★{Word()}★",
        8 => string.Concat(Enumerable.Range(0, random.Next(2, 5)).Select(_ => random.Pick(Cjk))),
        9 => $"{Word()} Straße",
        10 => Person(),
        11 => $"{Word()}'s {Word()}",
        _ => random.Chance(0.5) ? Word() : $"{Word()} {Word()}",
    };

    public string Album(string artist) => random.Next(10) switch
    {
        0 => artist,
        1 => $"Live at {Word()}",
        2 => $"{Word()} (Deluxe Edition)",
        3 => $"Vol. {random.Next(2, 5)}",
        4 => $"{Word()} & {Word()}",
        _ => random.Chance(0.5) ? Word() : $"{Word()} {Word().ToLowerInvariant()}",
    };

    public string Track() => random.Next(12) switch
    {
        0 or 1 => random.Pick(CommonTitles),
        2 => $"{Word()} (feat. {Word()})",
        3 => $"{Word()} - Remastered 2011",
        4 => $"{Word()}'n'{Word()}",
        5 => $"{Word()} ★ {Word()}",
        _ => random.Chance(0.5) ? Word() : $"{Word()} {Word().ToLowerInvariant()}",
    };

    public string Username()
    {
        var name = random.Next(6) switch
        {
            0 => $"{Ascii(random.Pick(FirstNames))}{random.Next(70, 100)}",
            1 => $"{random.Pick(Adjectives)}_{random.Pick(Nouns)}",
            2 => $"{Capital(random.Pick(Adjectives))}{Capital(random.Pick(Nouns))}",
            3 => $"{Ascii(random.Pick(FirstNames)).ToLowerInvariant()}_{Ascii(random.Pick(LastNames)).ToLowerInvariant()}",
            4 => $"xX{Ascii(Word())}Xx",
            _ => $"{random.Pick(Nouns)}-{random.Pick(Nouns)}{random.Next(1, 1000)}",
        };
        return name.Length > 15 ? name[..15] : name;
    }

    public static string Url(string baseUrl, string name) => baseUrl + WebUtility.UrlEncode(name);

    private static string Capital(string word) => char.ToUpperInvariant(word[0]) + word[1..];

    // Invariant globalization has no Unicode normalisation, so accents are folded by table.
    private static string Ascii(string text)
    {
        const string from = "àáâãäåāçèéêëēìíîïñòóôõöøùúûüýÿÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝ";
        const string to = "aaaaaaaceeeeeiiiinoooooouuuuyyAAAAAACEEEEIIIINOOOOOOUUUUY";
        var ascii = new StringBuilder();
        foreach (var c in text)
        {
            var i = from.IndexOf(c, StringComparison.Ordinal);
            if (i >= 0)
            {
                ascii.Append(to[i]);
            }
            else if (c == 'ß')
            {
                ascii.Append("ss");
            }
            else if (c < 128 && char.IsLetterOrDigit(c))
            {
                ascii.Append(c);
            }
        }

        return ascii.ToString();
    }
}
