using System.Collections.Concurrent;

namespace Tastebuds.Sandbox.Logging;

/// <summary>How the sandbox answered a request.</summary>
public enum SandboxOutcome
{
    /// <summary>HTTP 200 with the requested data.</summary>
    Success,

    /// <summary>A Last.fm error body caused by the request itself (3, 6, 10, 17, 26, or 29 from the budget).</summary>
    Error,

    /// <summary>An injected fault (see <see cref="SandboxRequestRecord.Fault"/>).</summary>
    Fault,

    /// <summary>A hostile fault shaped the answer (see <see cref="SandboxRequestRecord.Hostile"/>); an injected fault wins over it.</summary>
    Hostile,
}

/// <summary>One served request.</summary>
/// <param name="Timestamp">When the request arrived (from <see cref="SandboxOptions.TimeProvider"/>).</param>
/// <param name="Method">The <c>method</c> parameter as sent (e.g. user.getTopTracks), or "".</param>
/// <param name="User">The <c>user</c> parameter as sent, or null.</param>
/// <param name="ApiKeyHash">First 12 hex digits of the SHA-256 of the API key ("" when none): keys are never logged.</param>
/// <param name="Status">HTTP status code.</param>
/// <param name="ErrorCode">Last.fm error code in the body, if any.</param>
/// <param name="Outcome">Success, error or fault.</param>
/// <param name="Fault">The injected fault or quirk, if any (a <c>LoneItemAsObject</c> quirk has outcome Success).</param>
/// <param name="Page">The page served (1-based) for paged methods, else null.</param>
/// <param name="Host">The request's Host header, e.g. <c>127.0.0.1:8090</c>, or <c>localhost:8090</c> for a followed
/// <see cref="Faults.HostileFaultKind.RedirectOffHost"/> redirect.</param>
/// <param name="Hostile">The hostile faults applied: the one that replaced the answer (redirect, echoing error), or every
/// data-bending one aimed at the user when data was served, even where the method has no such value; empty when none
/// applied (e.g. an unknown user's error 6).</param>
public sealed record SandboxRequestRecord(
    DateTimeOffset Timestamp, string Method, string? User, string ApiKeyHash, int Status, int? ErrorCode,
    SandboxOutcome Outcome, Faults.SandboxFaultKind? Fault, int? Page, string Host, IReadOnlyList<Faults.HostileFaultKind> Hostile);

/// <summary>Every request the server handled, in arrival order; thread-safe.</summary>
public sealed class SandboxRequestLog
{
    private readonly ConcurrentQueue<SandboxRequestRecord> _records = new();

    /// <summary>Number of requests logged so far.</summary>
    public int Count => _records.Count;

    /// <summary>A copy of the records logged so far.</summary>
    public IReadOnlyList<SandboxRequestRecord> Snapshot() => [.. _records];

    /// <summary>Forgets every record (e.g. between test phases).</summary>
    public void Clear() => _records.Clear();

    internal void Add(SandboxRequestRecord record) => _records.Enqueue(record);
}
