namespace Tastebuds.Sandbox.Faults;

/// <summary>What the sandbox can do to a request instead of (or on top of) answering it normally.</summary>
public enum SandboxFaultKind
{
    /// <summary>Error 8 "Operation failed", HTTP 500.</summary>
    Error8,

    /// <summary>Error 11 "Service Offline", HTTP 503.</summary>
    Error11,

    /// <summary>Error 16 "temporary error", HTTP 200 (the body, not the status, says it failed).</summary>
    Error16,

    /// <summary>Error 29 "Rate Limit Exceeded", HTTP 429 with Retry-After: 1 (a spurious limit, budget not spent).</summary>
    Error29,

    /// <summary>HTTP 500 with an empty body.</summary>
    Http500,

    /// <summary>HTTP 502 with an HTML body.</summary>
    Http502,

    /// <summary>HTTP 503 with an HTML body.</summary>
    Http503,

    /// <summary>Waits 2 × <see cref="SandboxOptions.ClientTimeout"/> before answering correctly.</summary>
    Slow,

    /// <summary>Announces the full Content-Length, writes about half the body, then aborts the connection.</summary>
    Truncated,

    /// <summary>HTTP 200 whose body is cut short, so it is not valid JSON.</summary>
    MalformedJson,

    /// <summary>A quirk, not an error: a page holding exactly one item serves it as an object, not a one-element array.</summary>
    LoneItemAsObject,
}
