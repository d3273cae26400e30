namespace Tastebuds.Tests.Support;

/// <summary>
/// Recorded data kept in the repository under <c>Fixtures/</c> and copied beside the test binaries, so a clone
/// needs nothing else. Data that may not be committed (HetRec) is found by <see cref="SharedData"/> instead.
/// </summary>
public static class Fixtures
{
    /// <summary>The recorded Last.fm responses (provenance in its SOURCE.md, checksums in its SHA256SUMS).</summary>
    public static string ApiSamples { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures", "lastfm-api-samples");

    /// <summary>The bytes of one recorded response, as sent (BOM included).</summary>
    public static byte[] ApiSample(string name) => File.ReadAllBytes(Path.Combine(ApiSamples, name));
}
