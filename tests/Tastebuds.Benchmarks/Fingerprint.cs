using System.Security.Cryptography;

namespace Tastebuds.Benchmarks;

/// <summary>Short md5 fingerprints of computed arrays: two builds of the same computation compare bit for bit.</summary>
internal static class Fingerprint
{
    /// <summary>The first 12 hex digits of the md5 of what <paramref name="append"/> feeds it.</summary>
    public static string Md5(Action<IncrementalHash> append)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        append(md5);
        return Convert.ToHexStringLower(md5.GetHashAndReset())[..12];
    }
}
