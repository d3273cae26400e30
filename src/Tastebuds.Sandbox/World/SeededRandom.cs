namespace Tastebuds.Sandbox.World;

/// SplitMix64: a tiny generator whose sequence we own, so a seed gives the same world on every
/// .NET version (System.Random's seeded algorithm is an implementation detail).
internal sealed class SeededRandom(long seed)
{
    private ulong _state = (ulong)seed;

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return StableHash.Mix(_state);
    }

    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// A number in [min, max).
    public int Next(int min, int max) => min + (int)(NextUInt64() % (ulong)(max - min));

    public int Next(int max) => Next(0, max);

    public bool Chance(double probability) => NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// An index in [0, count) with Zipf-like weights 1 / (i + 1)^s, by inverting the continuous approximation.
    public int Zipf(int count, double s = 1.0)
    {
        if (count <= 1)
        {
            return 0;
        }

        var u = NextDouble();
        double x;
        if (Math.Abs(s - 1.0) < 1e-9)
        {
            x = Math.Exp(u * Math.Log(count + 1.0)) - 1.0;
        }
        else
        {
            var top = Math.Pow(count + 1.0, 1.0 - s);
            x = Math.Pow(1.0 + (u * (top - 1.0)), 1.0 / (1.0 - s)) - 1.0;
        }

        return Math.Clamp((int)x, 0, count - 1);
    }

    public string Hex(int chars)
    {
        var text = new char[chars];
        for (var i = 0; i < chars; i++)
        {
            text[i] = "0123456789abcdef"[(int)(NextUInt64() & 15)];
        }

        return new string(text);
    }

    public string Mbid()
    {
        var h = Hex(32);
        return $"{h[..8]}-{h[8..12]}-4{h[13..16]}-{"89ab"[(int)(NextUInt64() & 3)]}{h[17..20]}-{h[20..32]}";
    }
}
