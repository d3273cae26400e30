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
        private readonly Column<int> _user = new();
        private readonly Column<int> _item = new();
        private readonly Column<long> _plays = new();
        private readonly Column<bool> _loved = new();

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
            for (var r = 0; r < n; r++)
            {
                start[userRank[_user[r]] + 1]++;
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

            // The columns are not needed any more: release them before the rows are sorted.
            _user.Clear();
            _item.Clear();
            _plays.Clear();
            _loved.Clear();

            var offsets = new int[userCount + 1];
            var kept = 0;
            var keys = new List<long>();
            var rowPlays = new List<long>();
            var rowLoved = new List<bool>();
            for (var u = 0; u < userCount; u++)
            {
                var (from, to) = (start[u], start[u + 1]);
                if (!IsAscending(items.AsSpan(from, to - from)))
                {
                    // (item, place in the row) as one key: an array sort without a comparison delegate, then the row
                    // rewritten in that order (the duplicates of an item next to each other, merged below).
                    keys.Clear();
                    rowPlays.Clear();
                    rowLoved.Clear();
                    for (var e = from; e < to; e++)
                    {
                        keys.Add(((long)items[e] << 32) | (uint)(e - from));
                        rowPlays.Add(plays[e]);
                        rowLoved.Add(loved[e]);
                    }

                    System.Runtime.InteropServices.CollectionsMarshal.AsSpan(keys).Sort();
                    for (var k = 0; k < keys.Count; k++)
                    {
                        var place = (int)(uint)keys[k];
                        items[from + k] = (int)(keys[k] >> 32);
                        plays[from + k] = rowPlays[place];
                        loved[from + k] = rowLoved[place];
                    }
                }

                for (var e = from; e < to; e++)
                {
                    if (kept > offsets[u] && items[kept - 1] == items[e])
                    {
                        plays[kept - 1] += plays[e];
                        loved[kept - 1] |= loved[e];
                        continue;
                    }

                    items[kept] = items[e];
                    plays[kept] = plays[e];
                    loved[kept] = loved[e];
                    kept++;
                }

                offsets[u + 1] = kept;
            }

            // Without duplicates (the usual case) the arrays are the slice's as they are: no copy.
            return kept == n
                ? new KindSlice(userCount, itemIds, itemIndex, offsets, items, plays, loved, weighting)
                : new KindSlice(userCount, itemIds, itemIndex, offsets, items[..kept], plays[..kept], loved[..kept], weighting);
        }

        private static bool IsAscending(ReadOnlySpan<int> row)
        {
            for (var e = 1; e < row.Length; e++)
            {
                if (row[e] <= row[e - 1])
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>
    /// A column that grows by fixed chunks instead of doubling: at 100,000 users a kind holds up to 10 M rows, and a
    /// List's doubling copied each column and touched twice its memory (a page fault per fresh page: 28 % of the load's
    /// samples were the kernel's, docs/benchmarks.md "The model stage loads its tracks only, and the matrix builder's
    /// columns").
    /// </summary>
    private sealed class Column<T>
    {
        private const int Shift = 16;
        private const int Mask = (1 << Shift) - 1;
        private readonly List<T[]> _chunks = [];

        public int Count { get; private set; }

        public T this[int index] => _chunks[index >> Shift][index & Mask];

        public void Add(T value)
        {
            var at = Count & Mask;
            if (at == 0)
            {
                _chunks.Add(new T[1 << Shift]);
            }

            _chunks[^1][at] = value;
            Count++;
        }

        public void Clear()
        {
            _chunks.Clear();
            Count = 0;
        }
    }
}
