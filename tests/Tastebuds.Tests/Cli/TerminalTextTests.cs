using Tastebuds.Worker.Cli;

namespace Tastebuds.Tests.Cli;

public sealed class TerminalTextTests
{
    [TestCase("\u001b[31mred\u001b[0m", @"\e[31mred\e[0m")]
    [TestCase("two\nlines\r\tand a tab", @"two\nlines\r\tand a tab")]
    [TestCase("bell\u0007 nul\u0000 del\u007f", @"bell\u0007 nul\u0000 del\u007F")]
    [TestCase("c1 csi\u009b2J", @"c1 csi\u009B2J")]
    [TestCase("abc\u202Edef\u2066x\u2069", @"abc\u202Edef\u2066x\u2069")]
    [TestCase("line\u2028separator", @"line\u2028separator")]
    public void Control_characters_are_printed_as_visible_escapes(string text, string printed) =>
        Assert.That(TerminalText.Escape(text), Is.EqualTo(printed));

    [Test]
    public void An_unpaired_surrogate_is_printed_as_an_escape() =>
        // Built at run time: a lone surrogate in an attribute argument does not survive compilation.
        Assert.That(TerminalText.Escape("lone " + (char)0xD83C + " surrogate"), Is.EqualTo(@"lone \uD83C surrogate"));

    [TestCase("Zoë Ångström")]
    [TestCase("東京事変 · 椎名林檎")]
    [TestCase("🎧 dj 👩🏽‍🎤 ❤️")]
    [TestCase(@"back\slash and [markup]")]
    public void Accents_cjk_and_emoji_are_printed_as_they_are(string text) =>
        Assert.That(TerminalText.Escape(text), Is.EqualTo(text));

    [Test]
    public void Escape_lines_keeps_the_line_breaks_and_escapes_within_each_line() =>
        Assert.That(TerminalText.EscapeLines("first \u001b[2J\r\nsecond"), Is.EqualTo("first \\e[2J\nsecond"));
}
