namespace Tastebuds.Worker.Runs;

/// <summary>How a step ended: its status (never running or abandoned) and what it did.</summary>
public sealed record LogCompletion(StepStatus Status)
{
    public long? UserId { get; init; }

    public int TracksFetched { get; init; }

    public int AlbumsFetched { get; init; }

    public int ArtistsFetched { get; init; }

    public int LovedTracksFetched { get; init; }

    public int TagsFetched { get; init; }

    public int RequestsMade { get; init; }

    public int Retries { get; init; }

    public long ItemsWritten { get; init; }

    public int? ErrorCode { get; init; }

    public string? ErrorMessage { get; init; }

    public IReadOnlyDictionary<string, object?>? Details { get; init; }
}
