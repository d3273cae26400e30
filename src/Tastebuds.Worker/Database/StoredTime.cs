namespace Tastebuds.Worker.Database;

/// <summary>Now, cut to PostgreSQL's microsecond precision, so a run's timestamp reads back equal to what it returned.</summary>
internal static class StoredTime
{
    public static DateTimeOffset Of(TimeProvider time)
    {
        var now = time.GetUtcNow();
        return now.AddTicks(-(now.Ticks % 10));
    }

    /// <summary>A timestamptz as Npgsql reads it into a DateTime (UTC), as an offset.</summary>
    public static DateTimeOffset? Utc(DateTime? value) =>
        value is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;
}
