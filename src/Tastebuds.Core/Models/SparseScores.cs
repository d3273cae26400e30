namespace Tastebuds.Core.Models;

/// <summary>
/// One user's scores over a few items of a large catalogue: a value per item plus the list of items touched, reset
/// in O(1) by a generation stamp, so a scorer that reaches a few thousand of 200,000 items never pays for the rest.
/// </summary>
internal sealed class SparseScores
{
    private readonly double[] _values;
    private readonly int[] _stamp;
    private readonly List<int> _touched = [];
    private int _generation = 1;

    public SparseScores(int itemCount)
    {
        _values = new double[itemCount];
        _stamp = new int[itemCount];
    }

    /// <summary>The items given a value since <see cref="Clear"/>, in the order first touched.</summary>
    public IReadOnlyList<int> Touched => _touched;

    public void Clear()
    {
        _touched.Clear();
        if (++_generation == int.MaxValue)
        {
            Array.Clear(_stamp);
            _generation = 1;
        }
    }

    public void Add(int item, double value)
    {
        if (_stamp[item] != _generation)
        {
            _stamp[item] = _generation;
            _values[item] = value;
            _touched.Add(item);
        }
        else
        {
            _values[item] += value;
        }
    }

    public double this[int item] => _stamp[item] == _generation ? _values[item] : 0;
}
