using System.Globalization;
using Tastebuds.Sandbox.World;

namespace Tastebuds.Sandbox.Faults;

/// Decides, per request, whether a fault happens. The decision is a hash of (seed, request key, attempt number
/// for that key), so it is reproducible from the seed and independent of how other requests interleave.
/// After <c>MaxConsecutiveFaults</c> faults in a row for one key the next attempt always succeeds, so a
/// retried request cannot fail forever; a success (or a lone-item quirk, which is a success) resets the run.
internal sealed class FaultPlan
{
    private readonly long _seed;
    private readonly int _maxConsecutive;
    private readonly (SandboxFaultKind Kind, double Upper)[] _cumulative;
    private readonly Dictionary<string, (int Attempts, int Consecutive)> _state = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public FaultPlan(SandboxOptions options, long seed)
    {
        _seed = seed;
        _maxConsecutive = options.MaxConsecutiveFaults;
        var kinds = Enum.GetValues<SandboxFaultKind>();
        var rates = options.FaultRates ?? kinds.ToDictionary(k => k, _ => options.FaultRate / kinds.Length);
        var upper = 0.0;
        _cumulative = kinds.Where(k => rates.GetValueOrDefault(k) > 0).Select(k => (k, upper += rates[k])).ToArray();
    }

    public bool Enabled => _cumulative.Length > 0;

    public SandboxFaultKind? Next(string requestKey)
    {
        if (!Enabled)
        {
            return null;
        }

        lock (_lock)
        {
            var (attempts, consecutive) = _state.GetValueOrDefault(requestKey);
            SandboxFaultKind? fault = null;
            if (consecutive < _maxConsecutive)
            {
                var u = StableHash.Unit(_seed, requestKey + "#" + attempts.ToString(CultureInfo.InvariantCulture));
                foreach (var (kind, upper) in _cumulative)
                {
                    if (u < upper)
                    {
                        fault = kind;
                        break;
                    }
                }
            }

            var failed = fault is not null and not SandboxFaultKind.LoneItemAsObject;
            _state[requestKey] = (attempts + 1, failed ? consecutive + 1 : 0);
            return fault;
        }
    }
}
