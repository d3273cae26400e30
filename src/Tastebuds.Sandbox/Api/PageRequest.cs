namespace Tastebuds.Sandbox.Api;

/// One page of a list: `limit` (default 50, clamped to 1..1000 like the API) and 1-based `page`.
/// A page past the end is empty but keeps the paging attributes, as Last.fm does.
internal readonly record struct PageRequest(int Page, int Limit)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 1000;

    public (IEnumerable<T> Items, int FirstRank, int TotalPages) Slice<T>(IReadOnlyList<T> items)
    {
        var start = (long)(Page - 1) * Limit;
        var totalPages = (items.Count + Limit - 1) / Limit;
        var slice = start >= items.Count ? [] : items.Skip((int)start).Take(Limit);
        return (slice, (int)Math.Min(start, int.MaxValue - 1) + 1, totalPages);
    }
}
