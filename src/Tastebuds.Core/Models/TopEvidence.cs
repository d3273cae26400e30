namespace Tastebuds.Core.Models;

/// <summary>
/// The best few reasons of one explanation, kept while they are found: largest contribution first, ties to the lower
/// id (what sorting every reason and taking the first ones gives), without a list of every reason or a sort.
/// </summary>
internal sealed class TopEvidence(int capacity)
{
    private readonly Evidence[] _best = new Evidence[capacity];
    private int _count;

    public int Capacity => _best.Length;

    public void Clear() => _count = 0;

    public void Offer(in Evidence candidate)
    {
        if (_best.Length == 0 || (_count == _best.Length && !Before(candidate, _best[_count - 1])))
        {
            return;
        }

        var at = _count < _best.Length ? _count++ : _count - 1;
        while (at > 0 && Before(candidate, _best[at - 1]))
        {
            _best[at] = _best[at - 1];
            at--;
        }

        _best[at] = candidate;
    }

    public Evidence[] ToArray() => _best.AsSpan(0, _count).ToArray();

    private static bool Before(in Evidence a, in Evidence b) => a.Contribution > b.Contribution || (a.Contribution == b.Contribution && a.Id < b.Id);
}
