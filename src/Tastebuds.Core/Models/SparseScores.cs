using System.Runtime.CompilerServices;

namespace Tastebuds.Core.Models;

/// <summary>
/// One user's scores over a few items of a large catalogue: the touched items and their values side by side in the
/// order first touched, found through a sparse set (Briggs and Torczon): per item of the catalogue one int, its position
/// among the touched, which is valid only when the touched item at that position is the item itself. <see cref="Clear"/>
/// is O(1) and the catalogue-wide array is never cleared, so a scorer that reaches a few thousand of 200,000 items never
/// pays for the rest; that array is 4 bytes an item (0.8 MB at 200,000 tracks, within a core's L2), where a stamp and a
/// position were 8. The values sit in a short dense array (≈ 10,000 entries a user at 200,000 tracks), so the top-R
/// selection reads them in order.
/// </summary>
internal sealed class SparseScores
{
    private readonly int[] _position;
    private int[] _touched = new int[1024];
    private double[] _values = new double[1024];
    private int _count;

    public SparseScores(int itemCount)
    {
        _position = new int[itemCount];
    }

    /// <summary>The items given a value since <see cref="Clear"/>, in the order first touched.</summary>
    public IReadOnlyList<int> Touched => new ArraySegment<int>(_touched, 0, _count);

    /// <summary>The values of <see cref="Touched"/>, aligned with it.</summary>
    public ReadOnlySpan<double> Values => _values.AsSpan(0, _count);

    public ReadOnlySpan<int> TouchedSpan => _touched.AsSpan(0, _count);

    public void Clear() => _count = 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(int item, double value)
    {
        var at = _position[item];
        if ((uint)at < (uint)_count && _touched[at] == item)
        {
            _values[at] += value;
        }
        else
        {
            Append(item, value);
        }
    }

    private void Append(int item, double value)
    {
        if (_count == _touched.Length)
        {
            Array.Resize(ref _touched, _count * 2);
            Array.Resize(ref _values, _count * 2);
        }

        _position[item] = _count;
        _touched[_count] = item;
        _values[_count] = value;
        _count++;
    }

    public double this[int item]
    {
        get
        {
            var at = _position[item];
            return (uint)at < (uint)_count && _touched[at] == item ? _values[at] : 0;
        }
    }
}
