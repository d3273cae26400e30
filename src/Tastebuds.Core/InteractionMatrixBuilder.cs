namespace Tastebuds.Core;

/// <summary>
/// Builds an <see cref="InteractionMatrix"/> from rows streamed in any order, holding only compact columns (dense
/// user and item numbers, plays, love) rather than row objects or a dictionary keyed by row; then counting-sorts them
/// into the matrix's rows. Duplicate (user, kind, item) rows are merged as <see cref="InteractionMatrix.Build"/> does.
/// Not thread-safe.
/// </summary>
public sealed class InteractionMatrixBuilder
{
    private readonly Dictionary<long, int> _users = [];
    private readonly List<long> _userIds = [];
    private readonly KindColumns[] _kinds = [new(), new(), new()];

    /// <summary>Rows added, duplicates included.</summary>
    public long Rows { get; private set; }

    public void Add(long userId, ItemKind kind, long itemId, long playCount, bool loved)
    {
        _kinds[(int)kind].Add(User(userId), itemId, playCount, loved);
        Rows++;
    }

    /// <summary>A user of the matrix even with no row of their own (a row of a kind not loaded); not counted in <see cref="Rows"/>.</summary>
    public void AddUser(long userId) => User(userId);

    private int User(long userId)
    {
        if (!_users.TryGetValue(userId, out var user))
        {
            user = _userIds.Count;
            _users.Add(userId, user);
            _userIds.Add(userId);
        }

        return user;
    }

    public InteractionMatrix Build(WeightingOptions? weighting = null)
    {
        weighting ??= new WeightingOptions();
        var (userIds, userRank) = Ranked(_userIds);
        var userIndex = new Dictionary<long, int>(userIds.Length);
        for (var i = 0; i < userIds.Length; i++)
        {
            userIndex[userIds[i]] = i;
        }

        var slices = new KindSlice[_kinds.Length];
        for (var k = 0; k < _kinds.Length; k++)
        {
            slices[k] = _kinds[k].ToSlice(userIds.Length, userRank, weighting);
        }

        return InteractionMatrix.FromSlices(userIds, userIndex, slices, weighting);
    }

    /// <summary>The ids ascending, and for each first-seen number its position among them.</summary>
    private static (long[] Sorted, int[] Rank) Ranked(List<long> ids)
    {
        var sorted = ids.ToArray();
        var order = Enumerable.Range(0, sorted.Length).ToArray();
        Array.Sort(sorted, order);
        var rank = new int[sorted.Length];
        for (var i = 0; i < order.Length; i++)
        {
            rank[order[i]] = i;
        }

        return (sorted, rank);
    }

    private sealed class KindColumns
    {
        private readonly Dictionary<long, int> _items = [];
        private readonly List<long> _itemIds = [];
        private readonly List<int> _user = [];
        private readonly List<int> _item = [];
        private readonly List<long> _plays = [];
        private readonly List<bool> _loved = [];

        public void Add(int user, long itemId, long plays, bool loved)
        {
            if (!_items.TryGetValue(itemId, out var item))
            {
                item = _itemIds.Count;
                _items.Add(itemId, item);
                _itemIds.Add(itemId);
            }

            _user.Add(user);
            _item.Add(item);
            _plays.Add(plays);
            _loved.Add(loved);
        }

        public KindSlice ToSlice(int userCount, int[] userRank, WeightingOptions weighting)
        {
            var (itemIds, itemRank) = Ranked(_itemIds);
            var itemIndex = new Dictionary<long, int>(itemIds.Length);
            for (var i = 0; i < itemIds.Length; i++)
            {
                itemIndex[itemIds[i]] = i;
            }

            // Counting sort by user, then each row sorted by item and its duplicates merged in place.
            var n = _user.Count;
            var start = new int[userCount + 1];
            foreach (var u in _user)
            {
                start[userRank[u] + 1]++;
            }

            for (var u = 0; u < userCount; u++)
            {
                start[u + 1] += start[u];
            }

            var next = (int[])start.Clone();
            var items = new int[n];
            var plays = new long[n];
            var loved = new bool[n];
            for (var r = 0; r < n; r++)
            {
                var at = next[userRank[_user[r]]]++;
                items[at] = itemRank[_item[r]];
                plays[at] = _plays[r];
                loved[at] = _loved[r];
            }

            var offsets = new int[userCount + 1];
            var kept = 0;
            var order = new List<int>();
            for (var u = 0; u < userCount; u++)
            {
                order.Clear();
                for (var e = start[u]; e < start[u + 1]; e++)
                {
                    order.Add(e);
                }

                order.Sort((a, b) => items[a].CompareTo(items[b]));
                var rowItems = order.Select(e => items[e]).ToArray();
                var rowPlays = order.Select(e => plays[e]).ToArray();
                var rowLoved = order.Select(e => loved[e]).ToArray();
                for (var i = 0; i < rowItems.Length; i++)
                {
                    if (kept > offsets[u] && items[kept - 1] == rowItems[i])
                    {
                        plays[kept - 1] += rowPlays[i];
                        loved[kept - 1] |= rowLoved[i];
                        continue;
                    }

                    items[kept] = rowItems[i];
                    plays[kept] = rowPlays[i];
                    loved[kept] = rowLoved[i];
                    kept++;
                }

                offsets[u + 1] = kept;
            }

            // The columns are not needed any more: release them before the next kind is sorted.
            _user.Clear();
            _user.TrimExcess();
            _item.Clear();
            _item.TrimExcess();
            _plays.Clear();
            _plays.TrimExcess();
            _loved.Clear();
            _loved.TrimExcess();
            return new KindSlice(userCount, itemIds, itemIndex, offsets, items[..kept], plays[..kept], loved[..kept], weighting);
        }
    }
}
