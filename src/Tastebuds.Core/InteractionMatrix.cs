namespace Tastebuds.Core;

/// <summary>
/// Users' weighted interactions per item kind with dense indices: users 0..n-1 in ascending
/// user id order, items 0..m-1 per kind in ascending item id order. Immutable and thread-safe.
/// Duplicate rows for one (user, kind, item) are merged: play counts add up, loved if any row is.
/// </summary>
public sealed class InteractionMatrix
{
    private static readonly ItemKind[] AllKinds = [ItemKind.Track, ItemKind.Album, ItemKind.Artist];

    private readonly long[] _userIds;
    private readonly Dictionary<long, int> _userIndex;
    private readonly KindSlice[] _kinds;

    private InteractionMatrix(long[] userIds, Dictionary<long, int> userIndex, KindSlice[] kinds, WeightingOptions weighting)
    {
        _userIds = userIds;
        _userIndex = userIndex;
        _kinds = kinds;
        Weighting = weighting;
    }

    public static IReadOnlyList<ItemKind> Kinds => AllKinds;

    public WeightingOptions Weighting { get; }

    public int UserCount => _userIds.Length;

    public static InteractionMatrix Build(IEnumerable<Interaction> rows, WeightingOptions? weighting = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var builder = new InteractionMatrixBuilder();
        foreach (var row in rows)
        {
            builder.Add(row.UserId, row.Kind, row.ItemId, row.PlayCount, row.Loved);
        }

        return builder.Build(weighting);
    }

    internal static InteractionMatrix FromSlices(long[] userIds, Dictionary<long, int> userIndex, KindSlice[] kinds, WeightingOptions weighting) =>
        new(userIds, userIndex, kinds, weighting);

    public long UserId(int user) => _userIds[user];

    public bool TryGetUser(long userId, out int user) => _userIndex.TryGetValue(userId, out user);

    public int ItemCount(ItemKind kind) => Slice(kind).ItemIds.Length;

    public long ItemId(ItemKind kind, int item) => Slice(kind).ItemIds[item];

    public bool TryGetItem(ItemKind kind, long itemId, out int item) => Slice(kind).ItemIndex.TryGetValue(itemId, out item);

    /// <summary>The user's items of one kind, ascending.</summary>
    public ReadOnlySpan<int> ItemsOf(int user, ItemKind kind)
    {
        var s = Slice(kind);
        return s.Items.AsSpan(s.UserOffsets[user], s.Count(user));
    }

    /// <summary>Weights aligned with <see cref="ItemsOf"/>.</summary>
    public ReadOnlySpan<double> WeightsOf(int user, ItemKind kind)
    {
        var s = Slice(kind);
        return s.Weights.AsSpan(s.UserOffsets[user], s.Count(user));
    }

    /// <summary>Users holding an item, ascending.</summary>
    public ReadOnlySpan<int> HoldersOf(ItemKind kind, int item)
    {
        var s = Slice(kind);
        return s.Holders.AsSpan(s.ItemOffsets[item], s.ItemOffsets[item + 1] - s.ItemOffsets[item]);
    }

    /// <summary>
    /// Maps each dense track index to a group key (the artist id) for <c>MaxTracksPerArtist</c>.
    /// </summary>
    public long[] ArtistOfTrack(Func<long, long> artistIdOfTrackId)
    {
        ArgumentNullException.ThrowIfNull(artistIdOfTrackId);
        return Slice(ItemKind.Track).ItemIds.Select(artistIdOfTrackId).ToArray();
    }

    internal KindSlice Slice(ItemKind kind) => _kinds[(int)kind];

    internal InteractionMatrix Without(ItemKind kind, bool[] removed)
    {
        var kinds = (KindSlice[])_kinds.Clone();
        kinds[(int)kind] = _kinds[(int)kind].Without(removed, Weighting);
        return new InteractionMatrix(_userIds, _userIndex, kinds, Weighting);
    }
}
