namespace Tastebuds.Sandbox.Faults;

/// <summary>
/// A dirty or malicious server, imitated for the users a <see cref="HostileFault"/> names. Unlike a
/// <see cref="SandboxFaultKind"/> it is not transient: every request of such a user gets it, retried or not.
/// </summary>
public enum HostileFaultKind
{
    /// <summary>The answers claim another user (the fault's argument): getInfo's <c>name</c> and every list's <c>@attr.user</c>.</summary>
    Impostor,

    /// <summary>Every page holds page 1's items while <c>@attr</c> claims the requested page of 1000 full pages.</summary>
    RepeatingPages,

    /// <summary>Play counts such as <c>1e30</c>, <c>"-5"</c>, <c>"lots"</c> and <c>"99999999999999999999"</c>.</summary>
    AbsurdNumbers,

    /// <summary>Names and real names holding a lone surrogate (<c>\ud800</c>) or a NUL (<c>\u0000</c>).</summary>
    DirtyText,

    /// <summary>Registration and play/love times far in the future, negative, zero or not numbers at all.</summary>
    AbsurdTimestamps,

    /// <summary>HTTP 302 to the same path and query on the host name <c>localhost</c> (same port).</summary>
    RedirectOffHost,

    /// <summary>Error 8 (HTTP 500) whose message echoes the request line, API key included.</summary>
    EchoingErrors,
}
