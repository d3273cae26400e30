using System.Text;

namespace Tastebuds.Worker.Fetching;

/// <summary>
/// The identity of a catalog name: NFC, trimmed, inner whitespace collapsed, lower-cased. "The Beatles",
/// "the  beatles " and "THE BEATLES" are one artist; MusicBrainz ids are data, never identity.
/// </summary>
public static class CatalogKey
{
    public static string Normalise(string name)
    {
        var text = Nfc(name).Trim();
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }

        return builder.ToString().ToLowerInvariant();
    }

    /// <summary>True when the name has something left after trimming: blank names are not catalog entries.</summary>
    public static bool IsUsable(string? name) => !string.IsNullOrWhiteSpace(name);

    /// <summary>
    /// NFC, or the name as it is when .NET refuses to normalise it: ICU rejects the non-character U+FFFE, which a
    /// Last.fm name can carry (<c>"\ufffe"</c> is valid JSON) and PostgreSQL text stores.
    /// </summary>
    private static string Nfc(string name)
    {
        try
        {
            return name.Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            return name;
        }
    }
}
