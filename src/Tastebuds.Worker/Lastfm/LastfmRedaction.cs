using System.Text.RegularExpressions;

namespace Tastebuds.Worker.Lastfm;

/// <summary>Hides secrets in URIs before they reach a log line or an exception message.</summary>
internal static partial class LastfmRedaction
{
    public static string Redact(Uri? uri) => uri is null ? "" : Redact(uri.OriginalString);

    public static string Redact(string uri) => SecretParameter().Replace(uri, "$1***");

    // api_key is what we send; sk and api_sig would be secrets too if write methods are ever added.
    [GeneratedRegex(@"([?&](?:api_key|sk|api_sig)=)[^&#]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretParameter();
}
