namespace Tastebuds.Worker.Fetching;

/// <summary>What a run did. <see cref="KeyRejected"/> means Last.fm refused the key and the run stopped.</summary>
public sealed record FetchRunResult(Guid RunId, int Users, int Succeeded, int Skipped, int Failed, bool KeyRejected, int Requests, int Retries)
{
    /// <summary>Users found unchanged (2 requests each, nothing stored); not counted in <see cref="Succeeded"/>, which counts users stored.</summary>
    public int Unchanged { get; init; }

    /// <summary>Users not fetched because the database stayed away past <c>Database:OutageTolerance</c> (the one in flight first).</summary>
    public IReadOnlyList<string> Unfinished { get; init; } = [];

    /// <summary>Why the run ended early on the database, or null.</summary>
    public string? DatabaseError { get; init; }
}
