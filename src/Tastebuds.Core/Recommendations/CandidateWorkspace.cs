namespace Tastebuds.Core.Recommendations;

/// <summary>Per-thread evidence accumulator over item indices; only touched entries are reset.</summary>
internal sealed class CandidateWorkspace(int itemCount)
{
    private readonly bool[] _seen = new bool[itemCount];
    private readonly bool[] _excluded = new bool[itemCount];
    private readonly List<int> _excludedList = [];

    public double[] Evidence { get; } = new double[itemCount];

    public List<int> Touched { get; } = [];

    public int Count => Touched.Count;

    public void Add(int item, double amount)
    {
        if (!_seen[item])
        {
            _seen[item] = true;
            Touched.Add(item);
        }

        Evidence[item] += amount;
    }

    public void Exclude(int item)
    {
        if (!_excluded[item])
        {
            _excluded[item] = true;
            _excludedList.Add(item);
        }
    }

    public bool IsExcluded(int item) => _excluded[item];

    public void Reset()
    {
        foreach (var item in Touched)
        {
            _seen[item] = false;
            Evidence[item] = 0.0;
        }

        foreach (var item in _excludedList)
        {
            _excluded[item] = false;
        }

        Touched.Clear();
        _excludedList.Clear();
    }
}
