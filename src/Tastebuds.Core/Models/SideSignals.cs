using Tastebuds.Core.Evaluation;

namespace Tastebuds.Core.Models;

/// <summary>
/// Personal tags and friendships in the dense indices of one <see cref="InteractionMatrix"/> and item kind.
/// Rows naming a user or item the matrix does not know are dropped; friendships are made symmetric.
/// </summary>
public sealed class SideSignals
{
    private readonly int[][] _friends;

    private readonly long[] _tagIds;

    private SideSignals(TagAssignment[] tags, long[] tagIds, int[][] friends)
    {
        Tags = tags;
        _tagIds = tagIds;
        _friends = friends;
    }

    public static SideSignals None { get; } = new([], [], []);

    /// <summary>(user, item, tag) triples, each at most once.</summary>
    public IReadOnlyList<TagAssignment> Tags { get; }

    /// <summary>Tags are dense 0..TagCount-1.</summary>
    public int TagCount => _tagIds.Length;

    /// <summary>The caller's id (<see cref="TagRow.TagId"/>) of dense tag <paramref name="tag"/>.</summary>
    public long TagId(int tag) => _tagIds[tag];

    public bool HasFriends => _friends.Any(f => f.Length > 0);

    /// <summary>The user's friends (dense user indices, ascending).</summary>
    public IReadOnlyList<int> FriendsOf(int user) => user < _friends.Length ? _friends[user] : [];

    public static SideSignals Create(InteractionMatrix matrix, ItemKind kind, IEnumerable<TagRow>? tags, IEnumerable<FriendRow>? friends)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var tagIndex = new Dictionary<long, int>();
        var assignments = new HashSet<TagAssignment>();
        foreach (var row in tags ?? [])
        {
            if (matrix.TryGetUser(row.UserId, out var u) && matrix.TryGetItem(kind, row.ItemId, out var i))
            {
                if (!tagIndex.TryGetValue(row.TagId, out var t))
                {
                    t = tagIndex[row.TagId] = tagIndex.Count;
                }

                assignments.Add(new TagAssignment(u, i, t));
            }
        }

        // Both directions of every edge as one long (user << 32 | friend), sorted: each user's friends come out
        // ascending, repeats dropped, in 8 bytes an edge (a SortedSet per user took ≈ 40 B an entry).
        var edges = new List<long>();
        foreach (var row in friends ?? [])
        {
            if (matrix.TryGetUser(row.UserId, out var u) && matrix.TryGetUser(row.FriendId, out var f) && u != f)
            {
                edges.Add(((long)u << 32) | (uint)f);
                edges.Add(((long)f << 32) | (uint)u);
            }
        }

        edges.Sort();
        var lists = new int[matrix.UserCount][];
        Array.Fill(lists, []);
        foreach (var user in edges.Distinct().GroupBy(e => (int)(e >> 32)))
        {
            lists[user.Key] = [.. user.Select(e => (int)e)];
        }

        var ordered = assignments.OrderBy(a => a.User).ThenBy(a => a.Item).ThenBy(a => a.Tag).ToArray();
        var tagIds = new long[tagIndex.Count];
        foreach (var (id, t) in tagIndex)
        {
            tagIds[t] = id;
        }

        return new SideSignals(ordered, tagIds, lists);
    }

    /// <summary>
    /// The same signals without the tags a user put on one of their held-out items: a tag on a test item says
    /// the user knows it, so keeping it would leak the test set into training.
    /// </summary>
    public SideSignals Without(HoldoutSplit split)
    {
        ArgumentNullException.ThrowIfNull(split);
        var kept = Tags.Where(a => !Contains(split.TestItems(a.User), a.Item)).ToArray();
        return new SideSignals(kept, _tagIds, _friends);
    }

    private static bool Contains(IReadOnlyList<int> ascending, int item)
    {
        int lo = 0, hi = ascending.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (ascending[mid] == item)
            {
                return true;
            }

            if (ascending[mid] < item)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return false;
    }
}

/// <summary>A personal tag in caller ids: the user put <paramref name="TagId"/> on the item.</summary>
public readonly record struct TagRow(long UserId, long ItemId, long TagId);

/// <summary>A friendship in caller ids (either direction; it is made symmetric).</summary>
public readonly record struct FriendRow(long UserId, long FriendId);

/// <summary>A personal tag in dense indices.</summary>
public readonly record struct TagAssignment(int User, int Item, int Tag);
