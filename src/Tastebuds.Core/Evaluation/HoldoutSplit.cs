namespace Tastebuds.Core.Evaluation;

/// <summary>
/// A seeded per-user holdout of one item kind. Train keeps the index spaces of the full matrix,
/// so test items are comparable with recommended items. Other kinds are untouched.
/// </summary>
public sealed class HoldoutSplit
{
    private readonly int[][] _test;

    private HoldoutSplit(InteractionMatrix train, ItemKind kind, int[] evaluatedUsers, int[][] test)
    {
        Train = train;
        Kind = kind;
        EvaluatedUsers = evaluatedUsers;
        _test = test;
    }

    public InteractionMatrix Train { get; }

    public ItemKind Kind { get; }

    public IReadOnlyList<int> EvaluatedUsers { get; }

    /// <summary>Hidden items of the user, ascending (empty for users not evaluated).</summary>
    public IReadOnlyList<int> TestItems(int user) => _test[user];

    /// <summary>
    /// Hides <c>max(1, round(fraction · c))</c> items (at most c − 1) of each user with
    /// c ≥ <paramref name="minItems"/> items, chosen by a partial Fisher–Yates shuffle
    /// driven by one <see cref="Random"/>(<paramref name="seed"/>) over users in index order; with
    /// <paramref name="only"/>, of those users only (the others keep every item and are not evaluated).
    /// </summary>
    public static HoldoutSplit Create(InteractionMatrix full, ItemKind kind, double fraction, int minItems, int seed, bool[]? only = null)
    {
        ArgumentNullException.ThrowIfNull(full);
        var slice = full.Slice(kind);
        var removed = new bool[slice.Items.Length];
        var test = new int[full.UserCount][];
        var evaluated = new List<int>();
        var random = new Random(seed);
        for (var u = 0; u < full.UserCount; u++)
        {
            var start = slice.UserOffsets[u];
            var count = slice.Count(u);
            if (!Holds(count, minItems) || (only is not null && !only[u]))
            {
                test[u] = [];
                continue;
            }

            var hide = HiddenCount(count, fraction);
            var positions = Enumerable.Range(start, count).ToArray();
            for (var i = 0; i < hide; i++)
            {
                var j = random.Next(i, count);
                (positions[i], positions[j]) = (positions[j], positions[i]);
                removed[positions[i]] = true;
            }

            test[u] = positions.Take(hide).Select(e => slice.Items[e]).Order().ToArray();
            evaluated.Add(u);
        }

        return new HoldoutSplit(full.Without(kind, removed), kind, [.. evaluated], test);
    }

    /// <summary>True when a user with <paramref name="count"/> items has some hidden by a split (at least <paramref name="minItems"/> and 2).</summary>
    public static bool Holds(int count, int minItems) => count >= minItems && count >= 2;

    /// <summary>How many of a held-out user's <paramref name="count"/> items a split hides: max(1, round(fraction · c)), at most c − 1.</summary>
    public static int HiddenCount(int count, double fraction) =>
        Math.Clamp((int)Math.Round(fraction * count, MidpointRounding.AwayFromZero), 1, count - 1);
}
