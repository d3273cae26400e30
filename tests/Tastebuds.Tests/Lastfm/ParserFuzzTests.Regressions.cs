using System.Text.Json;
using Tastebuds.Worker.Fetching;
using Tastebuds.Worker.Lastfm;

namespace Tastebuds.Tests.Lastfm;

/// <summary>
/// What the fuzz found, each pinned by a small body: before these fixes, 181 of the 6,000 cases of seed 20251130 threw
/// something other than JsonException (InvalidOperationException from the parser and the inspector, ArgumentException
/// from the merge).
/// </summary>
public sealed partial class ParserFuzzTests
{
    /// <summary>raw-invalid-utf8: the parser threw InvalidOperationException (GetString, then GetRawText, refuse invalid UTF-8).</summary>
    [Test]
    public void A_string_with_bytes_that_are_not_UTF8_reads_with_replacement_characters()
    {
        byte[] body = [.. """{"toptags":{"tag":[{"name":"ro"""u8, 0xFF, .. """ck","count":"2"""u8, 0xC3, .. "\"}]}}"u8];

        var inspection = LastfmBodyInspector.Inspect(body);
        var page = LastfmParser.Parse(body, LastfmParser.TopTags);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(inspection, Is.EqualTo(new LastfmBodyInspection(true, null, null, null)), "the reader lets invalid UTF-8 through inside strings");
            Assert.That(page.Items, Is.EqualTo(new[] { new TagCount("ro\uFFFDck", 0) }), "the count \"2\\xC3\" is not a number");
        }
    }

    /// <summary>duplicate-key/nasty-string on the container: Container called GetString, which threw InvalidOperationException.</summary>
    [TestCase("""{"toptracks":"\ud800"}""")]
    [TestCase("""{"toptracks":"\udfff\ud800 "}""")]
    public void A_container_that_is_a_string_with_a_lone_surrogate_is_an_unexpected_shape(string body)
    {
        Assert.That(() => LastfmParser.Parse(System.Text.Encoding.UTF8.GetBytes(body), LastfmParser.TopTracks), Throws.TypeOf<JsonException>());
    }

    /// <summary>root with "error":"\ud800": the inspector's ReadInt called GetString, which threw InvalidOperationException.</summary>
    [Test]
    public void An_error_code_string_with_a_lone_surrogate_is_an_unknown_code()
    {
        Assert.That(LastfmBodyInspector.Inspect("""{"error":"\ud800","message":"x"}"""u8),
            Is.EqualTo(new LastfmBodyInspection(true, (LastfmErrorCode)(-1), "x", null)));
    }

    /// <summary>nasty-string "\ufffe" in a name: string.Normalize (ICU) threw ArgumentException out of MergedSnapshot.From.</summary>
    [Test]
    public void A_name_with_the_non_character_U_FFFE_merges_under_its_own_key()
    {
        var profile = new LastfmUserProfile("RJ", null, null, 10, null, null, null);
        var snapshot = new UserSnapshot(profile, "7day", [new TopTrack("Fire\uFFFE", "The Black Seeds\uFFFE", null, null, 3, 1, null)], [],
            [new TopArtist("Brian Deady\uFFFE", null, 2, 1, null)], [], [new PersonalTag("funk", new TaggedItem(TaggingType.Artist, "Brian Deady\uFFFE", null, null, null))]);

        var merged = MergedSnapshot.From(snapshot);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(CatalogKey.Normalise(" Brian  Deady\uFFFE "), Is.EqualTo("brian deady\uFFFE"));
            Assert.That(merged.Artists.Select(a => a.Key), Is.EquivalentTo(new[] { "the black seeds\uFFFE", "brian deady\uFFFE" }));
            Assert.That(merged.TrackRows.Single().PlayCount, Is.EqualTo(3));
            Assert.That(merged.ArtistRows.Single(r => r.Key == "brian deady\uFFFE").Tags.ToArray(), Is.EqualTo(new[] { "funk" }));
        }
    }
}
