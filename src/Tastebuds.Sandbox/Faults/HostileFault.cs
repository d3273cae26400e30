namespace Tastebuds.Sandbox.Faults;

/// <summary>A hostile fault aimed at one user's requests, or at everyone's.</summary>
/// <param name="Kind">What the server does wrong.</param>
/// <param name="User">The username (case-insensitive) whose requests get it; null = every user.</param>
/// <param name="Argument">Kind-specific: for <see cref="HostileFaultKind.Impostor"/> the victim's username; unused otherwise.</param>
public sealed record HostileFault(HostileFaultKind Kind, string? User = null, string? Argument = null)
{
    /// <summary>True when a request for <paramref name="user"/> gets this fault.</summary>
    public bool Targets(string user) => User is null || string.Equals(User, user, StringComparison.OrdinalIgnoreCase);
}
