using System.Text;

namespace Tastebuds.Sandbox.World;

/// Hashes that are the same on every run and every machine (string.GetHashCode is randomised per process),
/// so that periods, @attr placement and faults are reproducible from the seed alone.
internal static class StableHash
{
    public static ulong Of(long seed, string text)
    {
        var hash = 14695981039346656037UL ^ Mix((ulong)seed);
        Span<byte> buffer = stackalloc byte[256];
        var bytes = Encoding.UTF8.GetByteCount(text) <= buffer.Length ? buffer[..Encoding.UTF8.GetBytes(text, buffer)] : Encoding.UTF8.GetBytes(text);
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return Mix(hash);
    }

    /// A uniform number in [0, 1) from the seed and a text.
    public static double Unit(long seed, string text) => (Of(seed, text) >> 11) * (1.0 / (1UL << 53));

    /// SplitMix64 finaliser: spreads FNV's weak low bits over the whole word.
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
