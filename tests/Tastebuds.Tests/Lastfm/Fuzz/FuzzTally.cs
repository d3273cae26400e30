using System.Globalization;
using System.Text;

namespace Tastebuds.Tests.Lastfm.Fuzz;

/// <summary>What a fuzz run did: mutation kinds, outcomes, the slowest step, and the failures with their cases.</summary>
internal sealed class FuzzTally(int seed, string failureDirectory)
{
    private const int MaxFailures = 25;

    private readonly SortedDictionary<string, int> _kinds = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, int> _outcomes = new(StringComparer.Ordinal);
    private readonly List<string> _failures = [];
    private (TimeSpan Time, string Step, string Case) _slowest;

    public IReadOnlyList<string> Failures => _failures;

    public bool Full => _failures.Count >= MaxFailures;

    public int Cases { get; private set; }

    public void Started(FuzzCase fuzz)
    {
        Cases++;
        foreach (var kind in fuzz.Kinds)
        {
            _kinds[kind] = _kinds.GetValueOrDefault(kind) + 1;
        }
    }

    public void Count(string outcome, int by = 1) => _outcomes[outcome] = _outcomes.GetValueOrDefault(outcome) + by;

    /// <summary>Records a step's time; one over <paramref name="limit"/> is a failure (a near-hang).</summary>
    public void Timed(FuzzCase fuzz, string step, TimeSpan elapsed, TimeSpan limit)
    {
        if (elapsed > _slowest.Time)
        {
            _slowest = (elapsed, step, $"case {fuzz.Index} of {fuzz.Body.File}");
        }

        if (elapsed > limit)
        {
            Fail(fuzz, $"{step} took {elapsed.TotalMilliseconds:F0} ms (limit {limit.TotalMilliseconds:F0} ms)");
        }
    }

    /// <summary>A failure line with the seed and the mutation; the first few bodies are written out for a closer look.</summary>
    public void Fail(FuzzCase fuzz, string problem)
    {
        if (Full)
        {
            return;
        }

        var line = $"{problem}\n    seed {seed}, {fuzz.Describe()}";
        if (_failures.Count < 10)
        {
            Directory.CreateDirectory(failureDirectory);
            var path = Path.Combine(failureDirectory, $"seed-{seed}-case-{fuzz.Index}-{fuzz.Body.File}");
            File.WriteAllBytes(path, fuzz.Bytes);
            line += $"\n    body: {path}";
        }

        _failures.Add(line);
    }

    public string Summary(TimeSpan elapsed)
    {
        var invariant = CultureInfo.InvariantCulture;
        var text = new StringBuilder()
            .Append(invariant, $"seed {seed}: {Cases} mutated bodies in {elapsed.TotalSeconds:F1} s; slowest step {_slowest.Step} ")
            .AppendLine(invariant, $"{_slowest.Time.TotalMilliseconds:F0} ms ({_slowest.Case})")
            .AppendLine(invariant, $"mutations by kind ({_kinds.Values.Sum()}): {string.Join(", ", _kinds.Select(k => $"{k.Key} {k.Value}"))}")
            .AppendLine("outcomes:");
        foreach (var (outcome, count) in _outcomes)
        {
            text.AppendLine(invariant, $"  {outcome}: {count}");
        }

        return text.ToString();
    }
}
