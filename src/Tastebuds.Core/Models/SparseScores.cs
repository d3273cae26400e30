namespace Tastebuds.Core.Models;

/// <summary>
/// One user's scores over a few items of a large catalogue: a value per item plus the list of items touched, reset
/// in O(1) by a generation stamp, so a scorer that reaches a few thousand of 200,000 items never pays for the rest.
/// Value and stamp sit side by side in one slot: a scatter of 20,000 graph edges a user touches one cache line per
/// edge, not two (the RP3beta scatter is the candidate step's largest cost at 200,000 items).
/// </summary>
internal sealed class SparseScores
{
    private readonly Slot[] _slots;
    private readonly List<int> _touched = [];
    private int _generation = 1;

    public SparseScores(int itemCount)
    {
        _slots = new Slot[itemCount];
    }

    /// <summary>The items given a value since <see cref="Clear"/>, in the order first touched.</summary>
    public IReadOnlyList<int> Touched => _touched;

    public void Clear()
    {
        _touched.Clear();
        if (++_generation == int.MaxValue)
        {
            Array.Clear(_slots);
            _generation = 1;
        }
    }

    public void Add(int item, double value)
    {
        ref var slot = ref _slots[item];
        if (slot.Stamp != _generation)
        {
            slot.Stamp = _generation;
            slot.Value = value;
            _touched.Add(item);
        }
        else
        {
            slot.Value += value;
        }
    }

    public double this[int item]
    {
        get
        {
            ref readonly var slot = ref _slots[item];
            return slot.Stamp == _generation ? slot.Value : 0;
        }
    }

    private struct Slot
    {
        public double Value;
        public int Stamp;
    }
}
