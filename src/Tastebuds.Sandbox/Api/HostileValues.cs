using System.Text.Encodings.Web;
using System.Text.Json;
using Tastebuds.Sandbox.Faults;
using static Tastebuds.Sandbox.Api.JsonWire;

namespace Tastebuds.Sandbox.Api;

/// The values of one response as the hostile faults aimed at its user bend them; with none, every value is honest.
/// Absurd values cycle in the order they are written, so the same request always gets the same bytes: one
/// instance per response.
internal sealed class HostileValues
{
    // Raw JSON values. After the four absurd ones comes an honest one, so a reader also meets normal counts.
    private static readonly string[] AbsurdPlaycounts = ["1e30", "\"-5\"", "\"lots\"", "\"99999999999999999999\""];
    private const long FarFuture = 99_999_999_999_999; // some three million years ahead: past DateTimeOffset.MaxValue
    private static readonly string[] AbsurdTimes = [Str(FarFuture), "-1", "abc", "0"];

    // A lone surrogate cannot be encoded as UTF-8, so it only exists on the wire as this escape: written by hand.
    private static readonly string[] DirtyEscapes = [@"\ud800", @"\u0000"];

    private readonly HashSet<HostileFaultKind> _kinds;
    private readonly string? _victim;
    private int _names;
    private int _playcounts;
    private int _times;

    public HostileValues(IEnumerable<HostileFault> faults)
    {
        var list = faults.ToArray();
        _kinds = [.. list.Select(f => f.Kind)];
        _victim = list.FirstOrDefault(f => f.Kind == HostileFaultKind.Impostor)?.Argument;
    }

    public static HostileValues Honest() => new([]);

    public bool RepeatsPages => _kinds.Contains(HostileFaultKind.RepeatingPages);

    /// The user a response claims to be about.
    public string Owner(string user) => _victim ?? user;

    /// An item's name, or a real name: dirty text puts `\ud800` or `\u0000` (alternately) in its middle.
    public void Name(Utf8JsonWriter w, string key, string value)
    {
        if (!_kinds.Contains(HostileFaultKind.DirtyText))
        {
            w.WriteString(key, value);
            return;
        }

        var middle = value.Length / 2;
        if (middle > 0 && char.IsLowSurrogate(value[middle]))
        {
            middle--; // never split a real surrogate pair: the only lone one is ours
        }

        var escape = DirtyEscapes[_names++ % DirtyEscapes.Length];
        w.WritePropertyName(key);
        w.WriteRawValue($"\"{Encode(value[..middle])}{escape}{Encode(value[middle..])}\"", skipInputValidation: true);
    }

    /// A list item's play count (a string on the wire).
    public void Playcount(Utf8JsonWriter w, string key, long value)
    {
        var turn = _kinds.Contains(HostileFaultKind.AbsurdNumbers) ? _playcounts++ % (AbsurdPlaycounts.Length + 1) : AbsurdPlaycounts.Length;
        if (turn == AbsurdPlaycounts.Length)
        {
            w.WriteString(key, Str(value));
            return;
        }

        w.WritePropertyName(key);
        w.WriteRawValue(AbsurdPlaycounts[turn], skipInputValidation: true);
    }

    /// user.getInfo's play count, a JSON number.
    public void ProfilePlaycount(Utf8JsonWriter w, long value)
    {
        if (_kinds.Contains(HostileFaultKind.AbsurdNumbers))
        {
            w.WritePropertyName("playcount");
            w.WriteRawValue("1e30", skipInputValidation: true);
        }
        else
        {
            w.WriteNumber("playcount", value);
        }
    }

    /// A unix time in a list item (`date.uts`, a friend's `registered.unixtime`), a string on the wire.
    public string UnixTime(DateTimeOffset time) =>
        _kinds.Contains(HostileFaultKind.AbsurdTimestamps) ? AbsurdTimes[_times++ % AbsurdTimes.Length] : Str(time.ToUnixTimeSeconds());

    /// user.getInfo's `registered`: both values are JSON numbers on the real API.
    public void Registered(Utf8JsonWriter w, DateTimeOffset registered)
    {
        w.WriteStartObject("registered");
        if (_kinds.Contains(HostileFaultKind.AbsurdTimestamps))
        {
            w.WriteString("unixtime", Str(FarFuture));
            w.WriteNumber("#text", FarFuture);
        }
        else
        {
            w.WriteNumber("unixtime", registered.ToUnixTimeSeconds());
            w.WriteNumber("#text", registered.ToUnixTimeSeconds());
        }

        w.WriteEndObject();
    }

    private static string Encode(string text) => JsonEncodedText.Encode(text, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString();
}
