namespace Tastebuds.Core;

/// <summary>
/// Builds an <see cref="InteractionMatrix"/> from rows streamed in any order, holding only compact columns (dense
/// user and item numbers, plays, love) rather than row objects or a dictionary keyed by row; then counting-sorts them
/// into the matrix's rows. Duplicate (user, kind, item) rows are merged as <see cref="InteractionMatrix.Build"/> does.
/// Not thread-safe.
/// </summary>
public sealed class InteractionMatrixBuilder
{
    private readonly IdNumbers _users = new();
    private readonly KindColumns[] _kinds = [new(), new(), new()];
    private long _lastUserId = -1;
    private int _lastUser = -1;

    /// <summary>Rows added, duplicates included.</summary>
    public long Rows { get; private set; }

    public void Add(long userId, ItemKind kind, long itemId, long playCount, bool loved)
    {
        _kinds[(int)kind].Add(User(userId), itemId, playCount, loved);
        Rows++;
    }

    /// <summary>A user of the matrix even with no row of their own (a row of a kind not loaded); not counted in <see cref="Rows"/>.</summary>
    public void AddUser(long userId) => User(userId);

    /// <summary>The user's number; a user's rows mostly come one after another, so the last one is kept at hand.</summary>
    private int User(long userId)
    {
        if (userId != _lastUserId || _lastUser < 0)
        {
            _lastUser = _users.Number(userId);
            _lastUserId = userId;
        }

        return _lastUser;
    }

    /// <param name="maxDegreeOfParallelism">Kinds built at once (each kind's slice on its own thread); not positive: one per core.</param>
    public InteractionMatrix Build(WeightingOptions? weighting = null, int maxDegreeOfParallelism = -1)
    {
        weighting ??= new WeightingOptions();
        var (userIds, userRank) = Ranked(_users.Ids);
        var userIndex = new Dictionary<long, int>(userIds.Length);
        for (var i = 0; i < userIds.Length; i++)
        {
            userIndex[userIds[i]] = i;
        }

        var slices = new KindSlice[_kinds.Length];
        // The kinds are independent (their own columns and item numbers; the user ranks only read): side by side, the
        // similarity stage's Build takes the tracks' time rather than all three kinds' (docs/benchmarks.md, "The load's
        // client, the thread pool's spinning and the kinds built side by side").
        Parallel.For(0, _kinds.Length, Parallelism.Options(maxDegreeOfParallelism, CancellationToken.None),
            k => slices[k] = _kinds[k].ToSlice(userIds.Length, userRank, weighting, maxDegreeOfParallelism));

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
        private readonly IdNumbers _items = new();
        private readonly Column<int> _user = new();
        private readonly Column<int> _item = new();
        private readonly Column<long> _plays = new();
        private readonly Column<bool> _loved = new();

        public void Add(int user, long itemId, long plays, bool loved)
        {
            _user.Add(user);
            _item.Add(_items.Number(itemId));
            _plays.Add(plays);
            _loved.Add(loved);
        }

        public KindSlice ToSlice(int userCount, int[] userRank, WeightingOptions weighting, int maxDegreeOfParallelism)
        {
            var (itemIds, itemRank) = Ranked(_items.Ids);
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

            // Each row sorted by item on its own (the rows are disjoint ranges: the same rows whatever the threads), then
            // the duplicates merged in place, row after row.
            Parallelism.ForRanges(userCount, Parallelism.Options(maxDegreeOfParallelism, CancellationToken.None), (first, end) =>
            {
                var sorter = new RowSorter();
                for (var u = first; u < end; u++)
                {
                    sorter.Sort(start[u], start[u + 1], items, plays, loved);
                }
            });

            var offsets = new int[userCount + 1];
            var kept = 0;
            for (var u = 0; u < userCount; u++)
            {
                var (from, to) = (start[u], start[u + 1]);
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

        /// <summary>A task's buffers for sorting rows by item.</summary>
        private sealed class RowSorter
        {
            private long[] _keys = new long[256];
            private long[] _plays = new long[256];
            private bool[] _loved = new bool[256];

            /// <summary>
            /// The row [from, to) sorted by item, an item's duplicates kept in their order: (item, place in the row) as one
            /// key, an array sort without a comparison delegate, then the row rewritten in that order.
            /// </summary>
            public void Sort(int from, int to, int[] items, long[] plays, bool[] loved)
            {
                var length = to - from;
                if (IsAscending(items.AsSpan(from, length)))
                {
                    return;
                }

                if (_keys.Length < length)
                {
                    _keys = new long[length];
                    _plays = new long[length];
                    _loved = new bool[length];
                }

                for (var e = 0; e < length; e++)
                {
                    _keys[e] = ((long)items[from + e] << 32) | (uint)e;
                    _plays[e] = plays[from + e];
                    _loved[e] = loved[from + e];
                }

                _keys.AsSpan(0, length).Sort();
                for (var k = 0; k < length; k++)
                {
                    var place = (int)(uint)_keys[k];
                    items[from + k] = (int)(_keys[k] >> 32);
                    plays[from + k] = _plays[place];
                    loved[from + k] = _loved[place];
                }
            }
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
    /// Ids numbered 0, 1, 2… in the order first seen. Ids of a database's identity columns are small and dense, so those
    /// below <see cref="DirectLimit"/> are looked up in an array indexed by the id (grown to the largest seen), the others
    /// in a dictionary: at 100,000 users the dictionary's look-ups of 18 M rows' items were 18 % of the load's client
    /// CPU (docs/benchmarks.md "The generation written in parts").
    /// </summary>
    private sealed class IdNumbers
    {
        /// <summary>Ids below this (16 M: an array of at most 64 MB) go to the array.</summary>
        private const long DirectLimit = 1 << 24;

        private readonly Dictionary<long, int> _sparse = [];
        private int[] _direct = [];

        public List<long> Ids { get; } = [];

        public int Number(long id)
        {
            if ((ulong)id < DirectLimit)
            {
                if (id >= _direct.Length)
                {
                    Array.Resize(ref _direct, (int)Math.Min(DirectLimit, Math.Max(2L * _direct.Length, (long)System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)id + 1))));
                }

                // Stored as number + 1, so 0 is "not seen".
                var known = _direct[id] - 1;
                if (known >= 0)
                {
                    return known;
                }

                _direct[id] = Ids.Count + 1;
            }
            else if (_sparse.TryGetValue(id, out var known))
            {
                return known;
            }
            else
            {
                _sparse.Add(id, Ids.Count);
            }

            Ids.Add(id);
            return Ids.Count - 1;
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
